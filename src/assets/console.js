// The steward console's script, after site.js (copy buttons): passkey ceremonies and the time zone.
// Every page works without it except passkeys. Loaded as a same-origin file after the
// @simplewebauthn/browser bundle (/assets/webauthn.js: window.SimpleWebAuthnBrowser), so no inline script is needed.
// A button carries what it needs in data attributes: the ceremony ("register" or "login"),
// the anti-forgery token when signed in, and where to go once done.
"use strict";
(() => {
  const webauthn = window.SimpleWebAuthnBrowser;
  const status = document.getElementById("passkey-status");
  const say = (text) => {
    if (status) status.textContent = text;
  };
  const post = async (url, csrf, body) => {
    const res = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", ...(csrf ? { "x-csrf-token": csrf } : {}) },
      body: JSON.stringify(body ?? {}),
    });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(json.message || res.statusText);
    return json;
  };
  for (const button of document.querySelectorAll("button[data-passkey]")) {
    if (!webauthn?.browserSupportsWebAuthn()) {
      say(button.dataset.unsupported || "");
      continue;
    }
    button.hidden = false;
    button.addEventListener("click", async () => {
      const ceremony = button.dataset.passkey;
      const csrf = button.dataset.csrf;
      button.disabled = true;
      say(button.dataset.working || "");
      try {
        const begun = await post(`/console/passkeys/${ceremony}/options`, csrf);
        const response =
          ceremony === "register"
            ? await webauthn.startRegistration({ optionsJSON: begun.options })
            : await webauthn.startAuthentication({ optionsJSON: begun.options });
        const done = await post(`/console/passkeys/${ceremony}`, csrf, { response });
        window.location.assign(done.next);
      } catch (e) {
        say(`${button.dataset.failed || ""} ${e?.message ? e.message : ""}`.trim());
        button.disabled = false;
      }
    });
  }
  // The browser's time zone, remembered so that the server shows and reads dates in it; a form
  // sends the zone it was shown in, so a change here never shifts a date already typed.
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && !document.cookie.split("; ").includes(`tz=${encodeURIComponent(zone)}`)) {
      // biome-ignore lint/suspicious/noDocumentCookie: the zone cookie is read by the server (src/console/env.ts); no Cookie Store API in Firefox/Safari
      document.cookie = `tz=${encodeURIComponent(zone)}; path=/console; max-age=31536000; SameSite=Lax`;
    }
  } catch {
    /* dates stay in UTC, which the pages then say */
  }
})();
