// The public pages' one script (served as /assets/site.js; no inline script under a strict CSP).
// Pages work without it: it only adds what needs the browser (its time zone, the clipboard).
"use strict";

// Times: the server writes them in UTC with the zone named; show them in the reader's own zone,
// still named, in the page's language.
(function localTimes() {
  // the same conventions as the server's text (day before month in English too)
  const lang =
    { en: "en-GB", fr: "fr-FR" }[document.documentElement.lang] || document.documentElement.lang || undefined;
  for (const el of document.querySelectorAll("time[data-local]")) {
    const when = new Date(el.getAttribute("datetime"));
    if (Number.isNaN(when.getTime())) continue;
    try {
      const text = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(when);
      const zone = new Intl.DateTimeFormat(lang, { timeZoneName: "short" })
        .formatToParts(when)
        .find((p) => p.type === "timeZoneName");
      el.textContent = zone ? `${text} ${zone.value}` : text;
      el.title = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch {
      // an unknown locale or zone: the server's UTC text stays
    }
  }
})();

// Copy buttons: copy the text of the element named by data-copy; shown only where the clipboard works.
(function copyButtons() {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        const label = button.textContent;
        button.textContent = button.getAttribute("data-copied") || label;
        setTimeout(() => (button.textContent = label), 2000);
      } catch {
        // permission refused: the text stays there to be selected by hand
      }
    });
  }
})();
