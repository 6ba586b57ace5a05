import type { Child } from "hono/jsx";

/**
 * The one rule for links to anything a remote server told us (author IRIs, note URLs): only an
 * `http(s)` URL becomes a link; anything else (`javascript:`, `data:`, a bare string) is shown as
 * text, never as an href.
 */
export function isWebUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  return URL.canParse(value);
}

/** A link to a remote page, or its text when it is not a web URL. */
export function WebLink(props: { href: string; rel?: string; children?: Child }) {
  const label = props.children ?? props.href;
  return isWebUrl(props.href) ? (
    <a href={props.href} rel={props.rel ?? "nofollow noopener ugc"}>
      {label}
    </a>
  ) : (
    <>{label}</>
  );
}
