// Reading a named file, with the one-line error the CLI reports.
import { readFileSync } from "node:fs";
import { CliError } from "../errors.js";

export function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message}`);
  }
}

export function readText(file: string): string {
  return readBytes(file).toString("utf8");
}
