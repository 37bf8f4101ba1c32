// The page at `/`: four forms on the JSON API under /api/v1/. Every text that comes from the memory
// or the query is put into the page as text (createElement, append, textContent), never as markup:
// a stored unit may hold anything, `<img onerror=...>` included.
"use strict";

(function () {
  // An element with attributes and children; strings become text nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== undefined && value !== null && value !== false) {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    }
    for (const child of children) {
      if (child !== undefined && child !== null && child !== false) {
        node.append(child);
      }
    }
    return node;
  }

  // Arabic inside an English sentence: isolated, so that neither reorders the other.
  function arabic(text) {
    return el("bdi", { dir: "rtl", lang: "ar" }, text);
  }

  // Data of unknown direction inside an English sentence (an origin, a phrase).
  function isolated(text) {
    return el("bdi", {}, text);
  }

  // A line of text with some character ranges marked: `spans` are {start, end, op?, text?} in
  // characters (Unicode scalar values, as the API counts them), in any order.
  function marked(tag, attrs, text, spans) {
    const chars = Array.from(text);
    const node = el(tag, attrs);
    let at = 0;
    const sorted = spans.slice().sort((a, b) => a.start - b.start || a.end - b.end);
    for (const span of sorted) {
      const start = Math.min(Math.max(span.start, at), chars.length);
      const end = Math.min(Math.max(span.end, start), chars.length);
      node.append(chars.slice(at, start).join(""));
      if (span.op === "missing") {
        // A word of the query that the stored text lacks: shown where it would go.
        const before = start > 0 && !/\s/.test(chars[start - 1]) ? " " : "";
        const after = start < chars.length && !/\s/.test(chars[start]) ? " " : "";
        node.append(before);
        node.append(el("mark", { class: "op-missing", title: OPS.missing }, span.text));
        node.append(after);
      } else {
        const op = span.op || "hit";
        node.append(
          el("mark", { class: "op-" + op, title: OPS[op] }, chars.slice(start, end).join(""))
        );
      }
      at = end;
    }
    node.append(chars.slice(at).join(""));
    return node;
  }

  const OPS = {
    replace: "another word than yours",
    variant: "the same stem with another prefix, or another number",
    extra: "a word your text does not have",
    missing: "a word of yours the stored text does not have",
    hit: "the phrase",
  };

  const KINDS = {
    context: "exact, same context",
    exact: "exact",
    normalized: "same but for harakat or letter forms",
    numbers: "only numbers differ",
    fuzzy: "fuzzy",
  };

  const SOURCES = {
    authority: "the house names list",
    user: "names added here",
    memory: "the memory's spelling",
    model: "the model",
    rules: "the transliteration rules",
    kept: "kept as written",
  };

  // The server's token, when the server asks for one (off loopback): kept for this tab only.
  function token() {
    try {
      return sessionStorage.getItem("tm-token") || "";
    } catch (e) {
      return "";
    }
  }

  // Calls the API; an answer other than 2xx becomes an Error with the server's message. A 401 shows
  // the token form.
  async function api(path, options) {
    const request = Object.assign({}, options || {});
    request.headers = Object.assign({}, request.headers || {});
    if (token()) {
      request.headers["Authorization"] = "Bearer " + token();
    }
    let response;
    try {
      response = await fetch(path, request);
    } catch (e) {
      throw new Error("Could not reach the tm server. Is it still running?");
    }
    if (response.status === 401) {
      document.getElementById("access").hidden = false;
    }
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!response.ok) {
      const message =
        body && body.error && body.error.message ? body.error.message : response.statusText;
      throw new Error("The server answered " + response.status + ": " + message);
    }
    if (body === null) {
      throw new Error("The server's answer was not JSON.");
    }
    return body;
  }

  // Runs one request for a form and puts what `work` returns into `out`. `out` says where it is in
  // data-state (busy, done, error): the tests and screen readers (aria-busy) wait on it. A newer
  // request of the same form wins over an older one that answers late.
  async function run(out, busyText, work) {
    const mine = String(Number(out.dataset.seq || "0") + 1);
    out.dataset.seq = mine;
    out.dataset.state = "busy";
    out.setAttribute("aria-busy", "true");
    out.replaceChildren(el("p", { class: "status" }, busyText));
    let nodes;
    let state = "done";
    try {
      nodes = await work();
    } catch (e) {
      nodes = [el("p", { class: "error", role: "alert" }, e.message)];
      state = "error";
    }
    if (out.dataset.seq !== mine) {
      return;
    }
    out.replaceChildren(...nodes);
    out.dataset.state = state;
    out.removeAttribute("aria-busy");
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  // One row of a match or hit: a label and its text.
  function field(label, node) {
    return [el("dt", {}, label), el("dd", {}, node)];
  }

  function english(text, extraClass) {
    return el("p", { class: "en" + (extraClass ? " " + extraClass : ""), dir: "ltr", lang: "en" }, text);
  }

  // A button that copies `node`'s text: to the clipboard where the browser allows it (loopback or
  // HTTPS), else by selecting it, so that Ctrl+C copies it. data-copied says which happened.
  function copyButton(node, what) {
    const button = el("button", { type: "button", class: "copy", "aria-label": "Copy " + what }, "Copy");
    button.addEventListener("click", async () => {
      const text = node.textContent;
      let how = "selection";
      try {
        if (navigator.clipboard && window.isSecureContext) {
          await navigator.clipboard.writeText(text);
          how = "clipboard";
        }
      } catch (e) {
        how = "selection";
      }
      if (how === "selection") {
        const range = document.createRange();
        range.selectNodeContents(node);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
      button.dataset.copied = how;
      button.textContent = how === "clipboard" ? "Copied" : "Selected: press Ctrl+C";
    });
    return button;
  }

  // A text to take away, with its Copy button.
  function withCopy(node, what) {
    return el("div", { class: "copyable" }, node, copyButton(node, what));
  }

  function unitLine(id, origin) {
    return el(
      "p",
      { class: "meta" },
      "Unit " + id,
      origin ? " · from " : "",
      origin ? isolated(origin) : ""
    );
  }

  function renderLookup(answer) {
    const matches = answer.matches || [];
    const nodes = [
      el(
        "p",
        { class: "status" },
        matches.length === 0 ? "No match for " : plural(matches.length, "match", "matches") + " for ",
        arabic(answer.query)
      ),
    ];
    if (matches.length === 0) {
      nodes.push(el("p", { class: "hint" }, "Try a lower lowest score, or a shorter part of the text."));
    }
    const list = el("ol", { class: "matches" });
    for (const m of matches) {
      const rows = el("dl", {});
      rows.append(
        ...field(
          "Stored Arabic",
          marked("p", { class: "ar source", dir: "rtl", lang: "ar" }, m.source, m.diff || [])
        )
      );
      rows.append(...field("Stored English", withCopy(english(m.target, "target"), "the stored English")));
      if (m.suggestion) {
        rows.append(
          ...field(
            "Suggestion, with your numbers",
            withCopy(english(m.suggestion, "suggestion"), "the suggestion")
          )
        );
      }
      if (m.numbers === "unresolved") {
        rows.append(
          el(
            "dd",
            { class: "warn" },
            "The numbers differ and could not be paired: check them in the English."
          )
        );
      }
      const head = el(
        "p",
        { class: "head" },
        el("span", { class: "score" }, m.score + "%"),
        " ",
        el("span", { class: "kind", "data-kind": m.kind }, KINDS[m.kind] || m.kind),
        m.penalty ? el("span", { class: "penalty" }, " (" + m.penalty + " points off for its origin)") : ""
      );
      list.append(el("li", { class: "match" }, head, rows, unitLine(m.id, m.origin)));
    }
    if (matches.length > 0) {
      nodes.push(list);
    }
    return nodes;
  }

  function renderConcordance(answer) {
    const hits = answer.hits || [];
    const phrase = /[\u0600-\u06FF]/.test(answer.phrase) ? arabic(answer.phrase) : isolated(answer.phrase);
    const nodes = [
      el(
        "p",
        { class: "status" },
        hits.length === 0 ? "Not in the memory: " : plural(hits.length, "unit has ", "units have "),
        phrase
      ),
    ];
    const list = el("ol", { class: "hits" });
    for (const hit of hits) {
      const spans = (hit.spans || []).map((s) =>
        Array.isArray(s) ? { start: s[0], end: s[1] } : { start: s.start, end: s.end }
      );
      const onSource = hit.side === "source";
      const rows = el("dl", {});
      rows.append(
        ...field(
          "Arabic",
          marked("p", { class: "ar source", dir: "rtl", lang: "ar" }, hit.source, onSource ? spans : [])
        )
      );
      rows.append(
        ...field(
          "English",
          marked("p", { class: "en target", dir: "ltr", lang: "en" }, hit.target, onSource ? [] : spans)
        )
      );
      if (hit.inflected) {
        rows.append(el("dd", { class: "hint" }, "Found in an inflected form."));
      }
      list.append(el("li", { class: "hit" }, rows, unitLine(hit.id, hit.origin)));
    }
    if (hits.length > 0) {
      nodes.push(list);
    }
    return nodes;
  }

  function renderCheck(answer) {
    const findings = answer.findings || [];
    const inconsistencies = answer.inconsistencies || [];
    const nodes = [];
    if (findings.length === 0 && inconsistencies.length === 0) {
      nodes.push(el("p", { class: "status ok" }, "No name strays from the house spelling."));
      return nodes;
    }
    if (findings.length > 0) {
      nodes.push(el("p", { class: "status" }, plural(findings.length, "name strays", "names stray") + " from the house spelling:"));
      const list = el("ul", { class: "findings" });
      for (const f of findings) {
        list.append(
          el(
            "li",
            { class: "finding" },
            arabic(f.arabic),
            ": the house writes ",
            el("strong", { class: "expected", dir: "ltr", lang: "en" }, f.expected),
            f.found ? "; the translation has " : "; the translation does not have it.",
            f.found ? el("strong", { class: "found", dir: "ltr", lang: "en" }, f.found) : ""
          )
        );
      }
      nodes.push(list);
    }
    if (inconsistencies.length > 0) {
      nodes.push(el("p", { class: "status" }, "Spelled more than one way:"));
      const list = el("ul", { class: "inconsistencies" });
      for (const i of inconsistencies) {
        const item = el("li", {}, arabic(i.arabic), ": ");
        (i.renderings || []).forEach((r, n) => {
          item.append(n > 0 ? ", " : "", isolated(r.english), " (" + plural(r.units, "unit", "units") + ")");
        });
        list.append(item);
      }
      nodes.push(list);
    }
    return nodes;
  }

  function renderTranslit(answer) {
    const pieces = answer.pieces || [];
    const nodes = [
      el("p", { class: "status" }, arabic(answer.input), " is written"),
      withCopy(el("p", { class: "en translit-output", dir: "ltr", lang: "en" }, answer.output), "the name"),
    ];
    if (answer.source === "authority") {
      nodes.push(el("p", { class: "meta" }, "From " + SOURCES.authority + "."));
    } else if (pieces.length > 0) {
      const list = el("ul", { class: "pieces" });
      for (const p of pieces) {
        list.append(
          el(
            "li",
            {},
            arabic(p.arabic),
            ": ",
            isolated(p.english),
            " (" + (SOURCES[p.source] || p.source) + (p.units ? ", " + plural(p.units, "unit", "units") : "") + ")"
          )
        );
      }
      nodes.push(el("p", { class: "meta" }, "Word by word:"), list);
    }
    return nodes;
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== "") {
        search.set(name, value);
      }
    }
    return search.toString();
  }

  function onSubmit(id, handler) {
    document.getElementById(id).addEventListener("submit", (event) => {
      event.preventDefault();
      handler(event.target);
    });
  }

  onSubmit("lookup-form", (form) => {
    const q = form.elements.q.value;
    const min = form.elements.min.value.trim();
    run(document.getElementById("lookup-out"), "Searching…", async () =>
      renderLookup(await api("/api/v1/lookup?" + query({ q: q, min: min })))
    );
  });

  onSubmit("concordance-form", (form) => {
    const q = form.elements.q.value;
    run(document.getElementById("concordance-out"), "Finding…", async () =>
      renderConcordance(await api("/api/v1/concordance?" + query({ q: q, limit: "50" })))
    );
  });

  onSubmit("check-form", (form) => {
    const pair = { arabic: form.elements.arabic.value, english: form.elements.english.value };
    run(document.getElementById("check-out"), "Checking…", async () =>
      renderCheck(
        await api("/api/v1/check", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ pairs: [pair] }),
        })
      )
    );
  });

  onSubmit("access-form", (form) => {
    const given = form.elements.token.value.trim();
    try {
      sessionStorage.setItem("tm-token", given);
    } catch (e) {
      // No storage (a private window that forbids it): nothing to keep it in.
    }
    form.elements.token.value = "";
    document.getElementById("access-out").textContent =
      "The token is kept for this tab. Send your search again.";
    document.getElementById("lookup-q").focus();
  });

  onSubmit("translit-form", (form) => {
    const q = form.elements.q.value;
    run(document.getElementById("translit-out"), "Transliterating…", async () =>
      renderTranslit(await api("/api/v1/translit?" + query({ q: q })))
    );
  });
})();
