// What pgrecall prints of what it stored: titles, OCR text and file names come from other
// programs' screens and disks, and a terminal obeys control characters. They are shown escaped.

/** `s` with every control character (C0, DEL, C1) shown as \xHH, so printing it cannot drive the terminal. */
export function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
