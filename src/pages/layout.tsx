import type { Child } from "hono/jsx";
import { assetHref } from "../assets";


export function Layout(props: { title: string; children: Child; lang?: string }) {
  return (
    <html lang={props.lang ?? "en"}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Ensemble</title>
        <link rel="stylesheet" href={assetHref("site.css")} />
      </head>
      <body>
        <header>
          <p>
            <a href="/">Ensemble</a>
          </p>
        </header>
        <main>{props.children}</main>
      </body>
    </html>
  );
}
