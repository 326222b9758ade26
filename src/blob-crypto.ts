// Encryption at rest of the image store (PGRECALL_BLOB_KEY): AES-256-GCM from node:crypto.
// A blob keeps the name of its PLAINTEXT's sha256, so identical screens still share one file.
//
// File format, version 1 (41 bytes of header, then the ciphertext):
//   0  8  magic "PGRBLOB" 0x1a  — never an image signature, so a sealed file is told apart
//   8  1  version 0x01
//   9  4  key id: the first 4 bytes of HKDF-SHA256(key, info "pgrecall blob key id")
//  13 12  nonce, random per file
//  25 16  GCM tag
//  41 …   ciphertext, as long as the plaintext
// The cipher key is HKDF-SHA256(key, info "pgrecall blob v1 aes-256-gcm"); the additional
// data is the header's first 25 bytes and the blob's sha256 (hex): a header edited, or a
// sealed file renamed to another blob's name, fails authentication like altered ciphertext.
import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomBytes, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { ConfigError } from "./config.js";

export const SEALED_MAGIC = Buffer.from("PGRBLOB\x1a", "latin1");
const VERSION = 1;
const KEY_ID_BYTES = 4;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const AAD_END = SEALED_MAGIC.length + 1 + KEY_ID_BYTES + NONCE_BYTES; // 25
/** Bytes a sealed blob has beyond its plaintext. */
export const SEALED_OVERHEAD = AAD_END + TAG_BYTES; // 41

/** Why a sealed blob cannot be opened: no key, another key, or bytes that fail authentication. */
export class BlobCryptoError extends Error {
  constructor(
    message: string,
    /** "key": this process's key (or its absence) is the problem, not the file; "damaged": the file is. */
    readonly reason: "key" | "damaged",
  ) {
    super(message);
  }
}

/**
 * The blob key, held as derived keys only. It prints as its id, never as key material: a Config
 * object logged, inspected or serialised shows `BlobKey { id: '…' }`.
 */
export class BlobKey {
  /** 8 hex digits naming the key (a one-way function of it): in headers and error messages. */
  readonly id: string;
  readonly #cipherKey: KeyObject;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new RangeError(`a blob key is 32 bytes (got ${key.length})`);
    this.#cipherKey = createSecretKey(Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "pgrecall blob v1 aes-256-gcm", 32)));
    this.id = Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "pgrecall blob key id", KEY_ID_BYTES)).toString("hex");
  }

  /** The header and ciphertext of `plain`, stored as blob `sha256`: write them one after the other. */
  seal(plain: Buffer, sha256: string): [header: Buffer, ciphertext: Buffer] {
    const header = Buffer.alloc(SEALED_OVERHEAD);
    SEALED_MAGIC.copy(header, 0);
    header[SEALED_MAGIC.length] = VERSION;
    Buffer.from(this.id, "hex").copy(header, SEALED_MAGIC.length + 1);
    randomBytes(NONCE_BYTES).copy(header, AAD_END - NONCE_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#cipherKey, header.subarray(AAD_END - NONCE_BYTES, AAD_END), { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.concat([header.subarray(0, AAD_END), Buffer.from(sha256, "latin1")]));
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    cipher.getAuthTag().copy(header, AAD_END);
    return [header, ciphertext];
  }

  /** The plaintext of sealed blob `sha256`, authenticated; a BlobCryptoError otherwise (never unauthenticated bytes). */
  open(sealed: Buffer, sha256: string, what = `blob ${sha256}`): Buffer {
    this.checkOwner(sealed, what);
    const decipher = createDecipheriv("aes-256-gcm", this.#cipherKey, sealed.subarray(AAD_END - NONCE_BYTES, AAD_END), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.concat([sealed.subarray(0, AAD_END), Buffer.from(sha256, "latin1")]));
    decipher.setAuthTag(sealed.subarray(AAD_END, SEALED_OVERHEAD));
    const plain = decipher.update(sealed.subarray(SEALED_OVERHEAD));
    try {
      decipher.final();
    } catch {
      plain.fill(0);
      throw new BlobCryptoError(`${what} failed authentication: the encrypted file was altered, damaged or renamed`, "damaged");
    }
    return plain;
  }

  /** Throws unless the header (the first 41 bytes suffice) is one this key wrote; the ciphertext is not checked. */
  checkOwner(sealed: Buffer, what: string): void {
    const id = checkHeader(sealed, what);
    if (id !== this.id) throw new BlobCryptoError(`${what} is encrypted with another key (key id ${id}; PGRECALL_BLOB_KEY has key id ${this.id})`, "key");
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  toString(): string {
    return `BlobKey(${this.id})`;
  }

  [inspect.custom](): string {
    return `BlobKey { id: '${this.id}' }`;
  }
}

/** Whether a blob file's first bytes are a sealed blob's (it may still be truncated or damaged). */
export function isSealed(head: Buffer): boolean {
  return head.length >= SEALED_MAGIC.length && head.subarray(0, SEALED_MAGIC.length).equals(SEALED_MAGIC);
}

/** The key id a sealed blob names, after checking its header is one this version reads. */
export function checkHeader(sealed: Buffer, what: string): string {
  if (sealed.length < SEALED_OVERHEAD) throw new BlobCryptoError(`${what} is an encrypted blob cut short (${sealed.length} bytes, less than its ${SEALED_OVERHEAD}-byte header)`, "damaged");
  const version = sealed[SEALED_MAGIC.length];
  if (version !== VERSION) throw new BlobCryptoError(`${what} is encrypted in format version ${version}, which this pgrecall does not read (it reads version ${VERSION}): upgrade pgrecall`, "key");
  return sealed.subarray(SEALED_MAGIC.length + 1, SEALED_MAGIC.length + 1 + KEY_ID_BYTES).toString("hex");
}

/** The error for a sealed blob read by a process with no key. */
export function noKeyError(sealed: Buffer, what: string): BlobCryptoError {
  const id = checkHeader(sealed, what);
  return new BlobCryptoError(`${what} is encrypted at rest (key id ${id}) and no PGRECALL_BLOB_KEY is set: give this process the key it was written with`, "key");
}

const KEY_FORMAT = "32 random bytes written as 64 hex digits or as base64 (44 characters), e.g. the output of `openssl rand -hex 32`";

/**
 * The blob key from PGRECALL_BLOB_KEY or the file PGRECALL_BLOB_KEY_FILE names (same text; one
 * line), or null when neither is set. A malformed key is refused with its length, never its value.
 */
export function blobKeyFrom(env: NodeJS.ProcessEnv): BlobKey | null {
  const inline = env.PGRECALL_BLOB_KEY;
  const file = env.PGRECALL_BLOB_KEY_FILE;
  if (inline && file) throw new ConfigError("PGRECALL_BLOB_KEY and PGRECALL_BLOB_KEY_FILE are both set: set one of them.");
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, "latin1");
    } catch (err) {
      throw new ConfigError(`PGRECALL_BLOB_KEY_FILE ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"}): it must hold the blob key, ${KEY_FORMAT}.`);
    }
    return new BlobKey(parseKey(text, `PGRECALL_BLOB_KEY_FILE ${file}`));
  }
  if (inline) return new BlobKey(parseKey(inline, "PGRECALL_BLOB_KEY"));
  return null;
}

function parseKey(raw: string, name: string): Buffer {
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text) || /^[A-Za-z0-9_-]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text, text.includes("-") || text.includes("_") ? "base64url" : "base64");
    if (bytes.length === 32) return bytes;
  }
  const shape = /^[0-9a-fA-F]*$/.test(text) ? `${text.length} hex digits` : `${text.length} characters`;
  throw new ConfigError(`${name} is not a blob key (it holds ${shape}): it must be ${KEY_FORMAT}.`);
}
