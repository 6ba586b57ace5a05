import type { Child } from "hono/jsx";
import { isWebUrl } from "../domain/authors";

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
