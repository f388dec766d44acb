// Messages about reading results files (one line each, naming the file).

export const resultsMsg = {
  resultsUnreadable: (file: string, detail: string) => `${file} is not a recgap results file: ${detail}`,
  resultsVersion: (file: string, found: string, reads: string) => `${file} is ${found}; this recgap reads ${reads}: run the scenario again to re-create it`,
  unsafeOutputName: (name: string) => `unsafe output name ${JSON.stringify(name)}`,

  // claiming an output folder (output.ts, outputMarker.ts, outputLock.ts): refused before any work, exit 2
  outNotFolder: (outDir: string) => `--out ${outDir} is not a folder (a file is in the way); choose a folder for the output with --out`,
  outNotWritable: (outDir: string, code: string) => `--out ${outDir}: recgap cannot write there (${code}); choose another folder with --out`,
  targetNotFolder: (target: string) =>
    `${target} exists and is not a folder; recgap replaces only folders it wrote: choose another --out, or move or remove ${target} yourself`,
  targetIsLink: (target: string) => `${target} is a symbolic link; recgap replaces only folders it wrote: choose another --out, or remove the link yourself`,
  targetNotRecgap: (target: string, marker: string) =>
    `${target} exists and was not written by recgap (it has no ${marker}); recgap never deletes what it did not write: choose another --out, or move or remove ${target} yourself`,
  targetForeignEntry: (target: string, entry: string) =>
    `${target} holds ${entry}, which recgap did not write; recgap never deletes what it did not write: move ${entry} out of ${target}, choose another --out, or remove ${target} yourself`,
  targetOtherKind: (target: string, found: string, kind: string) =>
    `${target} holds the output of recgap ${found}, which recgap ${kind} does not replace: choose another --out (or another scenario name), or remove ${target} yourself`,
  markerUnreadable: (target: string, marker: string, detail: string) =>
    `${target}/${marker} is not a recgap output marker (${detail}); recgap replaces only folders it wrote: choose another --out, or remove ${target} yourself`,
  inputInsideTarget: (what: string, path: string, target: string) =>
    `${what} ${path} lies inside ${target}, which this command replaces; move it out of ${target} or choose another --out`,
  outputBusy: (target: string, pid: number, host: string, since: string, lockFile: string) =>
    `${target} is being written by recgap pid ${pid} on ${host} since ${since}; wait for it to finish or choose another --out (if that process is gone, remove ${lockFile}; from another host it is taken over after ten minutes without a heartbeat)`,
  lockUnreadable: (target: string, lockFile: string) =>
    `${target} is locked by ${lockFile}, which recgap cannot read; if no recgap is writing ${target}, remove ${lockFile}`,
  lockContended: (target: string, lockFile: string) => `${target}: other processes keep taking its lock ${lockFile}; try again`,
  lockLost: (target: string, lockFile: string) =>
    `${target} was not written: this process lost its lock ${lockFile} (no heartbeat for ten minutes, so another recgap took it over)`,

  // a field of a file recgap reads back (untrusted.ts), put after the file's name
  fieldMissing: (path: string, expected: string) => `${path} is missing; expected ${expected}`,
  fieldInvalid: (path: string, shown: string, expected: string) => `${path} is ${shown}; expected ${expected}`,
  fieldUnknown: (path: string, key: string) => `${path} has a key recgap does not write ("${key}")`,
};
