--! Previous: sha1:62c41ba6165b177c495cc0e4380520dd8232da68
--! Hash: sha1:c17cc70bf9ead6df08c7fdc5f3eb515015ce1c78
--! Message: exclusions: the built-in password-manager rule matches reverse-DNS app ids

-- Incremental DDL only (tables, columns, indexes). Functions, triggers and views go in sql/.

-- The built-in password-manager rule also matches the reverse-DNS app ids of Wayland and
-- Flatpak (org.keepassxc.KeePassXC, org.gnome.seahorse.Application, com.bitwarden.desktop):
-- a name may follow a dot as well as start the app. Only the shipped rule as shipped changes;
-- one a user edited is left as it is.
update pgrecall.exclusions
   set app_regex = '(^|\.)(1password|bitwarden|keepassxc|keepass|keepass2|lastpass|dashlane|enpass|keeper|proton ?pass|nordpass|roboform|passbolt|gnome-keyring|seahorse|keychain access|passwords)( |$|\.)'
 where builtin and reason = 'password manager'
   and app_regex = '^(1password|bitwarden|keepassxc|keepass|keepass2|lastpass|dashlane|enpass|keeper|proton ?pass|nordpass|roboform|passbolt|gnome-keyring|seahorse|keychain access|passwords)( |$|\.)';
