// The macOS backend's parsers and builders, and the launchd agent. This machine is Linux: nothing
// here runs screencapture, osascript, ioreg or system_profiler (the backend has never been run on a
// Mac). The samples below are written from those tools' documented output formats; the images are
// real PNGs decoded by sharp; the launchd plist is read back by Python's plistlib, a real parser.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { pickBackend } from "../../src/capture/backend.js";
import {
  composeDisplays, decodeSnap, lockedFromIoreg, monitorsOf, parseDisplays, parseFrontmost, parseHidIdleTime,
  parsePlist, parsePreflight, permissionProblem, snapDisplays,
} from "../../src/capture/macos.js";
import { installLaunchAgent, LAUNCHD_LABEL, launchdPlist } from "../../src/capture/service.js";

const python = (() => {
  try {
    execFileSync("python3", ["-c", "import plistlib"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** Python's plistlib reading `xml`, as JSON. */
function plistlib(xml: string): unknown {
  const out = execFileSync("python3", ["-c", "import json, plistlib, sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))"], { input: xml });
  return JSON.parse(out.toString());
}

// `ioreg -c IOHIDSystem`: the tree down to the class, its properties between "| {" and "| }".
const IOREG_HID = `+-o Root  <class IORegistryEntry, id 0x100000100, retain 30>
  +-o J314sAP  <class IOPlatformExpertDevice, id 0x100000110, registered, matched, active, busy 0 (121764 ms), retain 37>
    +-o AppleARMPE  <class AppleARMPE, id 0x100000111, registered, matched, active, busy 0 (121675 ms), retain 27>
      +-o IOResources  <class IOResources, id 0x100000112, registered, matched, active, busy 0 (4 ms), retain 50>
        +-o IOHIDSystem  <class IOHIDSystem, id 0x1000005e1, registered, matched, active, busy 0 (0 ms), retain 29>
          | {
          |   "IOClass" = "IOHIDSystem"
          |   "CFBundleIdentifier" = "com.apple.iokit.IOHIDFamily"
          |   "IOProviderClass" = "IOResources"
          |   "HIDParameters" = {"HIDClickTime"=500000000,"HIDKeyRepeat"=83333333,"HIDInitialKeyRepeat"=250000000,"HIDClickSpace"={5,3}}
          |   "HIDIdleTime" = 93771459125
          |   "IOMatchCategory" = "IOHIDSystem"
          | }
          |
          +-o IOHIDUserClient  <class IOHIDUserClient, id 0x1000006a4, !registered, !matched, active, busy 0, retain 6>
`;

function ioregRoot(users: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>IOBusyInterest</key>
	<string>IOCommand is not serializable</string>
	<key>IOConsoleLocked</key>
	<false/>
	${users}
	<key>IOKitBuildVersion</key>
	<string>Darwin Kernel Version 24.1.0: Thu Oct 10 21:05:14 PDT 2024; root:xnu-11215.41.3~2/RELEASE_ARM64_T6041</string>
	<key>IONameMatched</key>
	<string>Root</string>
	<key>IORegistryPlanes</key>
	<dict>
		<key>IODeviceTree</key>
		<string>IODeviceTree</string>
		<key>IOService</key>
		<string>IOService</string>
	</dict>
	<key>OS Build Version</key>
	<string>24B83</string>
	<key>OSKernelCPUType</key>
	<integer>16777228</integer>
</dict>
</plist>
`;
}

function consoleUser(uid: number, name: string, opts: { onConsole: boolean; locked?: boolean }): string {
  return `<dict>
			<key>CGSSessionUniqueSessionUUID</key>
			<string>4B6D9E67-2F0C-4F0A-8E7B-5C1D3A9F2E11</string>
			${opts.locked === undefined ? "" : `<key>CGSSessionScreenIsLocked</key>\n\t\t\t<${opts.locked}/>`}
			<key>kCGSSessionAuditIDKey</key>
			<integer>100008</integer>
			<key>kCGSSessionGroupIDKey</key>
			<integer>20</integer>
			<key>kCGSSessionIDKey</key>
			<integer>257</integer>
			<key>kCGSSessionLoginwindowSafeLogin</key>
			<false/>
			<key>kCGSSessionOnConsoleKey</key>
			<${opts.onConsole}/>
			<key>kCGSSessionSystemSafeBoot</key>
			<false/>
			<key>kCGSSessionUserIDKey</key>
			<integer>${uid}</integer>
			<key>kCGSSessionUserNameKey</key>
			<string>${name}</string>
			<key>kCGSessionLoginDoneKey</key>
			<true/>
			<key>kCGSessionLongUserNameKey</key>
			<string>Ada &amp; Co</string>
			<key>kSCSecuritySessionID</key>
			<integer>100014</integer>
		</dict>`;
}

const users = (...entries: string[]) => `<key>IOConsoleUsers</key>\n\t<array>\n\t\t${entries.join("\n\t\t")}\n\t</array>`;

describe("idle and lock from ioreg", () => {
  it("reads HIDIdleTime in nanoseconds as milliseconds, and says null when it is absent", () => {
    expect(parseHidIdleTime(IOREG_HID)).toBe(93_771);
    expect(parseHidIdleTime('          |   "HIDIdleTime" = 0\n')).toBe(0);
    expect(parseHidIdleTime(`"HIDIdleTime" = ${2n ** 63n - 1n}`)).toBe(9_223_372_036_854);
    expect(parseHidIdleTime(IOREG_HID.replace(/.*HIDIdleTime.*\n/, ""))).toBeNull();
  });

  it("a session whose screen is locked, one that is not (the key absent), one switched away from, none", () => {
    expect(lockedFromIoreg(ioregRoot(users(consoleUser(501, "ada", { onConsole: true, locked: true }))), 501)).toBe(true);
    expect(lockedFromIoreg(ioregRoot(users(consoleUser(501, "ada", { onConsole: true }))), 501)).toBe(false);
    expect(lockedFromIoreg(ioregRoot(users(consoleUser(501, "ada", { onConsole: true, locked: false }))), 501)).toBe(false);
    // Fast user switching: another user has the console; ada's screen is not shown, so not captured.
    const two = ioregRoot(users(consoleUser(501, "ada", { onConsole: false }), consoleUser(502, "bob", { onConsole: true })));
    expect(lockedFromIoreg(two, 501)).toBe(true);
    expect(lockedFromIoreg(two, 502)).toBe(false);
    expect(lockedFromIoreg(two, null)).toBe(false); // no uid: the session on the console
    expect(lockedFromIoreg(two, 503)).toBeNull(); // not a GUI user (ssh)
    expect(lockedFromIoreg(ioregRoot(""), 501)).toBeNull(); // nobody logged in
    // The same entry inside a list (ioreg -a -r prints one), found by its IOConsoleUsers.
    const listed = ioregRoot(users(consoleUser(501, "ada", { onConsole: true, locked: true }))).replace("<plist version=\"1.0\">\n<dict>", "<plist version=\"1.0\">\n<array>\n<dict>").replace("</dict>\n</plist>", "</dict>\n</array>\n</plist>");
    expect(listed).toContain("<array>\n<dict>");
    expect(lockedFromIoreg(listed, 501)).toBe(true);
  });

  it.skipIf(!python)("reads ioreg's plist as Python's plistlib does", () => {
    const xml = ioregRoot(users(consoleUser(501, "ada", { onConsole: true, locked: true }), consoleUser(502, "bob", { onConsole: false })));
    expect(parsePlist(xml)).toEqual(plistlib(xml));
  });

  it("says what is wrong with a property list it cannot read", () => {
    expect(() => parsePlist("<plist><dict><string>x</string></dict></plist>")).toThrow(/must start with <key>/);
    expect(() => parsePlist("<plist><dict><key>a</key><integer>1.5</integer></dict></plist>")).toThrow(/not an integer/);
    expect(() => parsePlist("<plist><dict><key>a</key><string>x")).toThrow(/ends inside <string>/);
    expect(() => lockedFromIoreg("ioreg: no such entry", 501)).toThrow(/property list/);
  });
});

// `system_profiler SPDisplaysDataType -json` on a MacBook Pro with an external display (main: the external one).
const PROFILER = JSON.stringify({
  SPDisplaysDataType: [
    {
      _name: "Apple M3 Pro",
      spdisplays_mtlgpufamilysupport: "spdisplays_metal3",
      spdisplays_ndrvs: [
        {
          _name: "Color LCD",
          "_spdisplays_display-product-id": "a050",
          _spdisplays_pixels: "3024 x 1964",
          _spdisplays_resolution: "1512 x 982 @ 120.00Hz",
          spdisplays_ambient_brightness: "spdisplays_yes",
          spdisplays_connection_type: "spdisplays_internal",
          spdisplays_display_type: "spdisplays_built-in-liquid-retina-xdr",
          spdisplays_mirror: "spdisplays_off",
          spdisplays_online: "spdisplays_yes",
          spdisplays_pixelresolution: "spdisplays_3456x2234Retina",
        },
        {
          _name: "DELL U2720Q",
          _spdisplays_pixels: "3840 x 2160",
          _spdisplays_resolution: "1920 x 1080 @ 60.00Hz",
          spdisplays_main: "spdisplays_yes",
          spdisplays_mirror: "spdisplays_off",
          spdisplays_online: "spdisplays_yes",
          spdisplays_rotation: "spdisplays_supported",
        },
      ],
      sppci_bus: "spdisplays_builtin",
      sppci_cores: "18",
      sppci_device_type: "spdisplays_gpu",
      sppci_model: "Apple M3 Pro",
    },
  ],
});

describe("displays and the grab", () => {
  it("lists the displays from system_profiler, the main one first", () => {
    expect(parseDisplays(PROFILER)).toEqual([
      { name: "DELL U2720Q", width: 3840, height: 2160, main: true },
      { name: "Color LCD", width: 3024, height: 1964, main: false },
    ]);
    expect(parseDisplays(JSON.stringify({ SPDisplaysDataType: [{ _name: "Apple M1", sppci_model: "Apple M1" }] }))).toEqual([]); // headless
    expect(() => parseDisplays("system_profiler: unknown data type")).toThrow(/did not print JSON/);
  });

  it("lays screencapture's images side by side, decodes them to RGB, and names the monitors", async () => {
    const main = await sharp({ create: { width: 4, height: 2, channels: 4, background: { r: 200, g: 10, b: 20, alpha: 1 } } }).png().toBuffer();
    const side = await sharp({ create: { width: 3, height: 3, channels: 3, background: { r: 5, g: 6, b: 250 } } }).png().toBuffer();
    const snap = await composeDisplays([main, side]);
    expect(snapDisplays(snap)).toEqual([{ width: 4, height: 2 }, { width: 3, height: 3 }]);
    const g = decodeSnap(snap);
    expect([g.width, g.height, g.channels, g.data.length]).toEqual([7, 3, 3, 7 * 3 * 3]);
    const px = (x: number, y: number) => [...g.data.subarray((y * 7 + x) * 3, (y * 7 + x) * 3 + 3)];
    expect(px(0, 0)).toEqual([200, 10, 20]);
    expect(px(3, 1)).toEqual([200, 10, 20]);
    expect(px(0, 2)).toEqual([0, 0, 0]); // below the shorter display
    expect(px(4, 0)).toEqual([5, 6, 250]);
    expect(px(6, 2)).toEqual([5, 6, 250]);
    // The same screen again: the same bytes (the capture loop's "unchanged").
    expect((await composeDisplays([main, side])).equals(snap)).toBe(true);

    const displays = parseDisplays(PROFILER);
    expect(monitorsOf(snapDisplays(snap), displays)).toEqual([
      { index: 1, name: "DELL U2720Q", x: 0, y: 0, width: 4, height: 2 },
      { index: 2, name: "Color LCD", x: 4, y: 0, width: 3, height: 3 },
    ]);
    expect(monitorsOf(snapDisplays(snap), displays.slice(0, 1)).map((m) => m.name)).toEqual(["display 1", "display 2"]);

    const one = decodeSnap(await composeDisplays([main]));
    expect([one.width, one.height, one.channels]).toEqual([4, 2, 3]);
    expect([...one.data.subarray(0, 3)]).toEqual([200, 10, 20]);
  });

  it("refuses what is not an image or not a snap", async () => {
    await expect(composeDisplays([])).rejects.toThrow(/wrote no image/);
    await expect(composeDisplays([Buffer.from("screencapture: cannot write file")])).rejects.toThrow(/display 1 is unreadable/);
    expect(() => decodeSnap(Buffer.from("P6 1 1 255\n\0\0\0"))).toThrow(/not a macOS capture/);
    const snap = await composeDisplays([await sharp({ create: { width: 2, height: 2, channels: 3, background: "#fff" } }).png().toBuffer()]);
    expect(() => decodeSnap(snap.subarray(0, snap.length - 1))).toThrow(/does not hold 2x2 pixels/);
  });
});

describe("the frontmost app (osascript)", () => {
  it("reads the app, the title (which may hold line breaks) and the problem line", () => {
    expect(parseFrontmost("Safari\n\nApple — Start Page\n")).toEqual({ app: "Safari", title: "Apple — Start Page", problem: null });
    expect(parseFrontmost("Terminal\n\nada — vim notes.md\nline two\n")).toEqual({ app: "Terminal", title: "ada — vim notes.md\nline two", problem: null });
    expect(parseFrontmost("Finder\n\n\n")).toEqual({ app: "Finder", title: null, problem: null }); // no window
    expect(parseFrontmost("Finder\n\nmissing value\n")).toEqual({ app: "Finder", title: null, problem: null });
    const denied = parseFrontmost("Code\nerror -1719: System Events got an error: osascript is not allowed assistive access.\n\n");
    expect(denied).toEqual({ app: "Code", title: null, problem: "error -1719: System Events got an error: osascript is not allowed assistive access." });
    expect(permissionProblem(denied.problem!)).toMatch(/Accessibility permission is missing.*Privacy & Security > Accessibility/);
    expect(() => parseFrontmost("")).toThrow(/not the frontmost app/);
  });

  it("names the missing permission and where to grant it", () => {
    expect(permissionProblem("osascript failed: 0:160: execution error: Not authorized to send Apple events to System Events. (-1743)"))
      .toMatch(/Automation permission is missing.*"System Events".*Privacy & Security > Automation/);
    expect(permissionProblem("execution error: System Events got an error: Can’t get application process 1 whose frontmost = true. (-1719)")).toBeNull();
    expect(parsePreflight("true\n")).toBe(true);
    expect(parsePreflight("false\n")).toBe(false);
    expect(parsePreflight("")).toBeNull();
  });

  it("is the backend pickBackend gives on darwin (constructing it runs nothing)", () => {
    expect(pickBackend({}, "darwin").name).toBe("macos");
  });
});

describe("the launchd agent", () => {
  const homes: string[] = [];
  afterAll(async () => {
    for (const h of homes) await rm(h, { recursive: true, force: true });
  });

  const args = ["--deployment", "ada's mac", "--interval", "2s", "--monitor", "all"];
  const env = { DATABASE_URL: "postgres://ada:p<w>&x@db.local/pgrecall?sslmode=require", PGRECALL_DATA_DIR: "/Users/ada/pgrecall" };

  it.skipIf(!python)("is a property list launchd can read: program, arguments, environment, restart on failure, logs", () => {
    const text = launchdPlist(args, env, "/Users/ada/Library/Logs/pgrecall/capture.log", "/opt/homebrew/bin/node", "/Users/ada/src/pgrecall/dist/cli.js");
    const doc = plistlib(text);
    expect(doc).toEqual({
      Label: LAUNCHD_LABEL,
      ProgramArguments: ["/opt/homebrew/bin/node", "/Users/ada/src/pgrecall/dist/cli.js", "capture", ...args],
      EnvironmentVariables: env,
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 10,
      LimitLoadToSessionType: "Aqua",
      Nice: 10,
      StandardOutPath: "/Users/ada/Library/Logs/pgrecall/capture.log",
      StandardErrorPath: "/Users/ada/Library/Logs/pgrecall/capture.log",
    });
    expect(parsePlist(text)).toEqual(doc);
  });

  it("refuses a value a property list cannot hold", () => {
    expect(() => launchdPlist(["--deployment", "a\u0007b"], {}, "/tmp/log")).toThrow(/control character/);
  });

  it("writes the plist (mode 0600: it holds DATABASE_URL) and the log folder", async () => {
    const home = await mkdtemp(join(tmpdir(), "pgrecall-launchd-"));
    homes.push(home);
    const a = await installLaunchAgent(args, env, home);
    expect(a.plist).toBe(join(home, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`));
    expect(a.log).toBe(join(home, "Library", "Logs", "pgrecall", "capture.log"));
    expect((await stat(a.plist)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, "Library", "Logs", "pgrecall"))).isDirectory()).toBe(true);
    const doc = parsePlist(a.text) as Record<string, unknown>;
    expect(doc.EnvironmentVariables).toEqual(env);
    expect((doc.ProgramArguments as string[]).slice(0, 3)).toEqual([process.execPath, process.argv[1], "capture"]);
    // Without DATABASE_URL in the shell, the agent gets only the data dir (pgrecall's default URL then applies).
    const b = await installLaunchAgent(args, { PGRECALL_DATA_DIR: "/srv/recall" }, home);
    expect((parsePlist(b.text) as Record<string, unknown>).EnvironmentVariables).toEqual({ PGRECALL_DATA_DIR: "/srv/recall" });
  });
});
