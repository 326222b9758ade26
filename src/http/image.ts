// A frame's image over HTTP: only from the blob store and the image roots, only a non-empty
// regular file (opened without blocking, so a FIFO cannot hold a thread), 404 with the reason
// otherwise; once the headers are sent, a read error or a file that changes size cuts the
// connection rather than leave the client waiting.
import { constants as fsConstants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname } from "node:path";
import { Transform, type Readable } from "node:stream";
import { pipeline as pipe } from "node:stream/promises";
import { BadImageRef, IMAGE_TYPES, type BlobStore } from "../store.js";
import { HttpError } from "./errors.js";

export interface OpenImage {
  path: string;
  /** The bytes to send (the plaintext's, for a sealed blob). */
  size: number;
  /** The image's bytes; the file is closed when it ends. */
  stream: () => Readable;
}

/** The frame's image file, open and checked to be a non-empty regular file; a 404 with the reason otherwise. */
export async function openImage(store: BlobStore, id: string, ref: string | null): Promise<OpenImage> {
  const unreadable = (why: string) => new HttpError(404, `frame ${id} has no readable image: ${why}`);
  let path: string;
  try {
    path = await store.resolve(ref);
  } catch (err) {
    if (err instanceof BadImageRef) throw unreadable(err.message);
    throw err;
  }
  let fh: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer, holding a libuv thread.
    fh = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why: Record<string, string> = {
      ENOENT: "does not exist", ENOTDIR: "does not exist (a parent is not a directory)", EACCES: "cannot be read (permission denied)",
      EPERM: "cannot be read (not permitted)", ELOOP: "is a loop of symbolic links", ENAMETOOLONG: "is a path too long to open",
    };
    if (code && why[code]) throw unreadable(`${path} ${why[code]}`);
    if (code === "EMFILE" || code === "ENFILE") throw new HttpError(503, "too many files open in the server at once; retry in a second", { "retry-after": "1" });
    throw new Error(`opening the image of frame ${id} at ${path} failed`, { cause: err });
  }
  let info;
  try {
    info = await fh.stat();
    if (info.isDirectory()) throw unreadable(`${path} is a directory`);
    if (!info.isFile()) throw unreadable(`${path} is not a regular file`);
    if (info.size === 0) throw unreadable(`${path} is empty (0 bytes)`);
  } catch (err) {
    await fh.close();
    throw err;
  }
  try {
    // A sealed blob (PGRECALL_BLOB_KEY) is opened and authenticated whole before anything is sent.
    const { size, stream } = await store.servable(ref, fh, info.size);
    return { path, size, stream };
  } catch (err) {
    // No key, or another one: the server's setup is wrong, not the frame (500 with the reason).
    if (err instanceof BadImageRef) throw err.reason === "key" ? new HttpError(500, `frame ${id} has no readable image: ${err.message}`) : unreadable(err.message);
    throw err;
  }
}

/** Passes `size` bytes through and fails if the stream holds more or fewer (a file that changed while it was sent). */
function exactly(size: number, path: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      done(seen > size ? new Error(`${path} grew while it was sent`) : null, chunk);
    },
    flush(done) {
      done(seen < size ? new Error(`${path} shrank while it was sent (${seen} of ${size} bytes)`) : null);
    },
  });
}

/** Sends an open image on the raw response (the framework has let go of it); closes the file. */
export async function sendImage(req: IncomingMessage, res: ServerResponse, img: OpenImage, what: string, headers: Record<string, string> = {}): Promise<void> {
  const { path, size } = img;
  const socket = res.socket;
  res.writeHead(200, {
    "content-type": IMAGE_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream",
    "content-length": size,
    "cache-control": "private, max-age=86400",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  const body = img.stream();
  if (req.method === "HEAD") {
    body.destroy();
    res.end();
    return;
  }
  try {
    await pipe(body, exactly(size, path), res);
  } catch (err) {
    // Headers are gone: the only way left to say "this body is wrong" is to cut the connection.
    socket?.destroy();
    if (req.socket.destroyed && (err as NodeJS.ErrnoException).code === "ERR_STREAM_PREMATURE_CLOSE") return; // the client left
    console.error(`pgrecall serve: sending ${what} from ${path} failed after the headers: ${(err as Error).message}`);
  }
}
