import type { Child } from "hono/jsx";

const css = `
body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#fff}
a{color:#0b57d0}header{border-bottom:1px solid #ddd;margin-bottom:1rem}
.handle{color:#444;font-family:ui-monospace,monospace}
.card{border:1px solid #ddd;border-radius:.5rem;padding:1rem;margin:1rem 0}
.meta{color:#444}.text{white-space:pre-line;overflow-wrap:anywhere}code{overflow-wrap:anywhere}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}.facts dt{font-weight:600}.facts dd{margin:0}
.progress label{display:block}progress{width:100%;height:1.25rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;

export function Layout(props: { title: string; children: Child; lang?: string }) {
  return (
    <html lang={props.lang ?? "en"}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title} · Ensemble</title>
        <style>{css}</style>
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
