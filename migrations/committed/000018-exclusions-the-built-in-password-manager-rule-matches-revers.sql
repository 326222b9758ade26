--! Previous: sha1:192f7edc22d9d02ba24d3a8918f06317d6887311
--! Hash: sha1:8284dbd8535e359fe9dfe1cfc7ebcb6c34334ecd
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
