// Runs the search code of the kiosk and the site (themes/default/static/search.js) under
// node, without a browser, for tests/search.rs:
//   node search.cjs fold                 stdin: JSON array of strings → [[fold, terms], …]
//   node search.cjs query <kiosk dir>    stdin: JSON array of queries → {query: [slug, …]}
"use strict";
const fs = require("fs");
const path = require("path");
const S = require(path.join(__dirname, "../../themes/default/static/search.js"));

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const mode = process.argv[2];
if (mode === "fold") {
  process.stdout.write(JSON.stringify(input.map((s) => [S.fold(s), S.terms(s)])));
} else if (mode === "query") {
  // The index file calls CamnangSearch.index({…}).
  let data = null;
  new Function("CamnangSearch", fs.readFileSync(path.join(process.argv[3], "search-index.js"), "utf8"))(S);
  S.ready((d) => { data = d; });
  const e = new S.Engine(data);
  const out = {};
  for (const q of input) out[q] = e.search(q, 20).map((r) => data.docs[r.doc][0]);
  process.stdout.write(JSON.stringify(out));
} else {
  console.error("usage: node search.cjs fold|query <kiosk dir>");
  process.exit(2);
}
