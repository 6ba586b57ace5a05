import { marked } from "marked";
import sanitizeHtml from "sanitize-html";

// What Mastodon itself keeps of remote HTML: text formatting and links, nothing that runs or loads.
const policy: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "a",
    "span",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "del",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
  ],
  allowedAttributes: { a: ["href", "rel", "class"], span: ["class"] },
  allowedSchemes: ["http", "https"],
  allowedClasses: { a: ["mention", "hashtag", "u-url"], span: ["h-card", "invisible", "ellipsis"] },
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener noreferrer ugc", target: "_blank" }),
  },
  disallowedTagsMode: "discard",
};

/** Remote note content, safe to embed in a page. */
export function sanitizeRemoteHtml(html: string): string {
  return sanitizeHtml(html, {
    ...policy,
    allowedAttributes: { ...policy.allowedAttributes, a: ["href", "rel", "class", "target"] },
  });
}

/** A steward's Markdown, rendered once on write with the same policy as remote content. */
export function renderMarkdown(markdown: string): string {
  return sanitizeRemoteHtml(marked.parse(markdown, { async: false, gfm: true, breaks: true }));
}

/** Plain text of a note, for scoring and search: tags dropped, entities decoded, spaces folded. */
export function htmlToText(html: string): string {
  const withBreaks = html.replace(/<br\s*\/?>/gi, "\n").replace(/<\/p>\s*<p[^>]*>/gi, "\n\n");
  return sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {} })
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ")
    .trim();
}

/**
 * The project's own documents (the model card): the same policy plus tables, each wrapped in a
 * box that scrolls sideways on its own, so a wide table never widens the page on a phone.
 */
export function renderDocumentMarkdown(markdown: string): string {
  const html = sanitizeHtml(marked.parse(markdown, { async: false, gfm: true }), {
    ...policy,
    allowedTags: [
      ...(policy.allowedTags as string[]),
      "table",
      "thead",
      "tbody",
      "tr",
      "th",
      "td",
      "caption",
      "h5",
      "h6",
      "hr",
    ],
    allowedAttributes: { ...policy.allowedAttributes, th: ["align", "scope"], td: ["align"] },
  });
  return html.replaceAll("<table>", '<div class="table-scroll"><table>').replaceAll("</table>", "</table></div>");
}

export const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A steward's plain text as HTML (as Mastodon reads an actor's `summary`): escaped, a paragraph per blank line. */
export function plainTextToHtml(text: string): string | null {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return paragraphs.length ? paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("") : null;
}
