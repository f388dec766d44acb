// Messages about reading results files (one line each, naming the file).

export const resultsMsg = {
  resultsUnreadable: (file: string, detail: string) => `${file} is not a recgap results file: ${detail}`,
  resultsVersion: (file: string, found: string, reads: string) => `${file} is ${found}; this recgap reads ${reads}: run the scenario again to re-create it`,
};
