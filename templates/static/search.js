// Search this language's Pagefind bundles: the query is folded as search.py folded the index,
// and the excerpts are shown as the post wrote them (ZWNJ, space or nothing, digits).

const PAGE_SIZE = 10;
const QUERY_FOLDS = [
  [/[\u064A\u0649]/g, "\u06CC"],          // Arabic yeh and alef maksura: Persian yeh
  [/\u0643/g, "\u06A9"],                  // Arabic kaf: Persian keheh
  [/\u06C0/g, "\u0647"],                  // heh with hamza above: heh
  [/[\u0622\u0623\u0625\u0671]/g, "\u0627"],  // alef with madda, hamza or wasla: alef
  [/[\u064B-\u065F\u0670\u0640]/g, ""],   // harakat, tanwin, hamza marks, tatweel
  [/\u200C/g, ""],                        // ZWNJ: the index has each such word joined too
];
// How search.py marks what it added to be found, and what the post wrote there.
const AS_WRITTEN = [
  [/([\u06F0-\u06F9\u0660-\u0669]+)\u200D-[0-9]+/g, "$1"],  // a number's Latin digits
  [/\u200C-/g, "\u200C"],                 // parts joined by a ZWNJ
  [/\u2060-/g, " "],                      // parts apart
  [/\u200D-/g, ""],                       // parts written as one word
];

/** The query as the index spells it. */
export function fold(query) {
  let text = query.normalize("NFC");
  for (const [pattern, replacement] of QUERY_FOLDS) text = text.replace(pattern, replacement);
  return text.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (digit) => {
    const code = digit.charCodeAt(0);
    return String(code >= 0x06F0 ? code - 0x06F0 : code - 0x0660);  // Persian, Arabic-Indic
  });
}

/** Indexed text as the post wrote it. */
export function display(text) {
  return AS_WRITTEN.reduce((shown, [pattern, replacement]) => shown.replace(pattern, replacement), text);
}

function excerptNodes(html) {
  // Pagefind's excerpt is escaped text with <mark>s: keep only those, as text nodes.
  const template = document.createElement("template");
  template.innerHTML = html;
  return [...template.content.childNodes].map((node) => {
    const text = display(node.textContent);
    if (node.nodeName !== "MARK") return document.createTextNode(text);
    const mark = document.createElement("mark");
    mark.textContent = text;
    return mark;
  });
}

function element(name, className, text) {
  const node = document.createElement(name);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function resultItem(data, root) {
  const item = element("li", "search-result");
  const heading = element("h2", "search-result-title");
  const link = element("a");
  link.href = new URL(data.meta.path.replace(/index\.html$/, ""), root).href;
  // The title in its language's direction, its runs of the other one isolated, as on the page.
  const title = element("bdi", "", data.meta.title);
  title.dir = data.meta.dir || document.documentElement.dir;
  link.append(title);
  heading.append(link);
  item.append(heading);
  if (data.meta.date) {
    const meta = element("p", "post-meta");
    const time = element("time", "", data.meta.date);
    time.dateTime = data.meta.datetime;
    meta.append(time);
    item.append(meta);
  }
  const excerpt = element("p", "excerpt");
  excerpt.append(...excerptNodes(data.excerpt));
  item.append(excerpt);
  return item;
}

async function loadPagefind(list) {
  const bundles = JSON.parse(list.dataset.bundles).map((path) => new URL(path, location.href).href);
  const pagefind = await import(bundles[0] + "pagefind.js");
  await pagefind.options({ excerptLength: 24 });
  for (const other of bundles.slice(1)) await pagefind.mergeIndex(other);
  return pagefind;
}

async function run(list, status, query) {
  const root = new URL(list.dataset.root, location.href);
  // The query, isolated: it may be written in the other direction than the sentence. (A
  // function, so that "$&" in a query stays as typed.)
  const say = (template) => template.replace("{query}", () => `\u2068${query}\u2069`);
  status.textContent = list.dataset.searching;
  let search;
  try {
    search = await (await loadPagefind(list)).search(fold(query));
  } catch (error) {
    status.textContent = list.dataset.failed;
    throw error;
  }
  list.replaceChildren();
  if (!search || !search.results.length) {
    status.textContent = say(list.dataset.none);
    return;
  }
  let shown = 0;
  const more = element("button", "search-more", list.dataset.more);
  more.type = "button";
  const showMore = async () => {
    const page = search.results.slice(shown, shown + PAGE_SIZE);
    shown += page.length;
    const data = await Promise.all(page.map((result) => result.data()));
    list.append(...data.map((found) => resultItem(found, root)));
    more.hidden = shown >= search.results.length;
  };
  more.addEventListener("click", showMore);
  list.after(more);
  await showMore();
  status.textContent = say(list.dataset.found);  // once the first results are there
}

const list = document.querySelector("[data-search]");
if (list) {
  const query = (new URLSearchParams(location.search).get("q") || "").trim();
  const input = document.getElementById("search-query");
  input.value = query;
  if (query) run(list, document.querySelector(".search-status"), query);
}
