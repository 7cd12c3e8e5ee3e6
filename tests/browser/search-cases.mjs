// The search cases shared by the kiosk's browser test (kiosk.mjs) and the site's
// (site-search.mjs): both search the same index with the same code (assets/search.js),
// so the same queries must find the same guides.

// [query, the guide found first]: no tone marks, upper case, NFD, synonyms, one typo.
export const FIRST = [
  ["khai sinh", "dang-ky-khai-sinh"],
  ["KHAI SINH", "dang-ky-khai-sinh"],
  ["dang ky ket hon", "dang-ky-ket-hon"],
  ["bhyt", "gia-han-bhyt-ho-gia-dinh"],
  ["giay khai sinh", "dang-ky-khai-sinh"],
  ["giấy khai sinh".normalize("NFD"), "dang-ky-khai-sinh"],
  ["làm giấy khai sinh", "dang-ky-khai-sinh"],
  ["dang ki ket hon", "dang-ky-ket-hon"],
  ["thuogn tru", "dang-ky-thuong-tru"],
  ["ho khau", "dang-ky-thuong-tru"],
];

// [query, a guide among the first `top` results (0: anywhere), what it shows].
export const AMONG = [
  ["bhyt", "lien-thong-khai-sinh", 0, "bhyt also finds the liên thông guide (BHYT in its title)"],
  // Four bundled guides are about birth certificates (register, re-register, with a foreign
  // parent, copy of the extract).
  ["giay khai sinh", "ban-sao-trich-luc-ho-tich", 4, "giay khai sinh: the copy of a birth certificate is in the top 4"],
];

// A query that finds nothing.
export const NOTHING = "zzzz";

/** Runs the cases with `search(query) → [slug, …]`; `check(ok, what, detail)` records each. */
export async function runCases(search, check, where = "") {
  for (const [q, slug] of FIRST) {
    const r = await search(q);
    check(r[0] === slug, `typing ${JSON.stringify(q)} finds ${slug} first${where}`, r.slice(0, 4));
  }
  for (const [q, slug, top, what] of AMONG) {
    const r = await search(q);
    check((top ? r.slice(0, top) : r).includes(slug), what + where, r.slice(0, 4));
  }
  const none = await search(NOTHING);
  check(none.length === 0, `${JSON.stringify(NOTHING)} finds nothing${where}`, none);
}
