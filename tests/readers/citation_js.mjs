// Reads citation files as a reference manager would, with citation-js (pinned in
// package-lock.json): prints, for each file named, the CSL-JSON items it holds.
import fs from 'node:fs'
import { Cite } from '@citation-js/core'
import '@citation-js/plugin-ris'
import '@citation-js/plugin-bibtex'

const read = {}
for (const path of process.argv.slice(2)) {
  read[path] = new Cite(fs.readFileSync(path, 'utf8')).data
}
process.stdout.write(JSON.stringify(read))
