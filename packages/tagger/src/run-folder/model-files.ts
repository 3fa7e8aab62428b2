/**
 * The files of a run folder as the serving engine reads them: by path relative to the folder
 * (`/` separators), from a disk (Node) or from anything that yields bytes — `fetch` in a
 * browser, a zip, a test's map. No file system here.
 */
import { RunFolderError } from '../errors';

export interface ModelFiles {
  /** Where the files come from (a folder, a URL), for error messages. */
  readonly where: string;
  /** The bytes of one file, e.g. `model/weights.bin`; rejects when it is missing. */
  read(path: string): Promise<Uint8Array>;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A JSON file of the model, with the run folder's error messages. */
export async function readModelJson(files: ModelFiles, path: string): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await files.read(path);
  } catch (error) {
    if (error instanceof RunFolderError) throw error;
    throw new RunFolderError(files.where, `cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch (error) {
    throw new RunFolderError(files.where, `${path} is not valid JSON (${(error as Error).message}); the model is damaged or was cut off while written`, { cause: error });
  }
}
