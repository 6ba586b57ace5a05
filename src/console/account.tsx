import type { Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Services } from "../services";
import { findCommunityById } from "../domain/communities";
import { t, type MessageKey } from "../i18n";
import { chromeOf, noticeOf, type ConsoleContext, type ConsoleEnv } from "./env";
import {
  authenticationOptions,
  finishAuthentication,
  finishRegistration,
  listPasskeys,
  registrationOptions,
  relyingParty,
  removePasskey,
  type StoredPasskey,
} from "./passkeys";
import { ConsoleLayout, Notices, type Chrome } from "./pages/layout";
import { formatDate } from "./pages/parts";
import { maySignIn, startSession } from "./session";
import { listSessions, revokeSession, sessionIdOf, type SessionEntry } from "./sessions";

/**
 * Lasting sign-in: passkeys (registered once signed in, by an invite link or another passkey)
 * and the list of sessions, each revocable. The ceremonies are JSON calls made by
 * src/assets/console.js; their challenge is tied to this browser by an HttpOnly cookie.
 */

const CEREMONY_COOKIE = "ensemble_webauthn";
const notices: Record<string, MessageKey> = {
  passkey: "cauth.passkeyAdded",
  removed: "cauth.passkeyRemoved",
  revoked: "cauth.sessionRevoked",
};

const ceremonyCookie = (c: Context, origin: string, value: string) =>
  setCookie(c, CEREMONY_COOKIE, value, {
    httpOnly: true,
    secure: origin.startsWith("https:"),
    sameSite: "Strict",
    path: "/console/passkeys",
    maxAge: 300,
  });

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const body = await c.req.json().catch(() => ({}));
  return body && typeof body === "object" ? (body as Record<string, unknown>) : {};
}

/** Routes that need no session: the passkey sign-in page and ceremony. */
export function passkeySignInRoutes(app: Hono<ConsoleEnv>, services: Services): void {
  const { db, config } = services;
  const rp = relyingParty(config.origin);

  app.post("/passkeys/login/options", async (c) => {
    const { options, ceremony } = await authenticationOptions(db, rp);
    ceremonyCookie(c, config.origin, ceremony);
    return c.json({ options });
  });

  app.post("/passkeys/login", async (c) => {
    const ceremony = getCookie(c, CEREMONY_COOKIE) ?? "";
    deleteCookie(c, CEREMONY_COOKIE, { path: "/console/passkeys" });
    const { response } = await jsonBody(c);
    const passkey = ceremony ? await finishAuthentication(db, rp, ceremony, response) : undefined;
    const community = passkey && (await findCommunityById(db, passkey.communityId));
    if (!passkey || !community || !(await maySignIn(services, community, passkey.label)))
      return c.json({ message: t(c.get("lang"), "cauth.loginFailed") }, 401);
    await startSession(c, services, community, passkey.label, "passkey");
    return c.json({ next: "/console" });
  });
}

/** Routes behind a session: registering and removing passkeys, listing and ending sessions. */
export function accountRoutes(app: Hono<ConsoleEnv>, services: Services): void {
  const { db, config } = services;
  const rp = relyingParty(config.origin);

  const page = async (c: ConsoleContext, status: 200 | 404 = 200) => {
    const session = c.get("session");
    return c.html(
      <AccountPage
        chrome={chromeOf(c)}
        label={session.label}
        passkeys={await listPasskeys(db, session.community)}
        sessions={await listSessions(db, session.community)}
        current={await sessionIdOf(db, config.origin, session.token)}
        notice={noticeOf(c, notices)}
      />,
      status,
    );
  };
  app.get("/account", (c) => page(c));

  app.post("/passkeys/register/options", async (c) => {
    const { community, label } = c.get("session");
    const { options, ceremony } = await registrationOptions(db, rp, community, label);
    ceremonyCookie(c, config.origin, ceremony);
    return c.json({ options });
  });

  app.post("/passkeys/register", async (c) => {
    const { community, label } = c.get("session");
    const ceremony = getCookie(c, CEREMONY_COOKIE) ?? "";
    deleteCookie(c, CEREMONY_COOKIE, { path: "/console/passkeys" });
    const { response } = await jsonBody(c);
    const saved = ceremony ? await finishRegistration(db, rp, community, label, ceremony, response) : undefined;
    if (!saved) return c.json({ message: t(c.get("lang"), "cauth.registerFailed") }, 400);
    return c.json({ next: "/console/account?done=passkey" });
  });

  app.post("/passkeys/:id/remove", async (c) => {
    if (!(await removePasskey(db, c.get("session").community, c.req.param("id")))) return page(c, 404);
    return c.redirect("/console/account?done=removed", 303);
  });

  app.post("/sessions/:id/revoke", async (c) => {
    if (!(await revokeSession(db, c.get("session").community, c.req.param("id")))) return page(c, 404);
    return c.redirect("/console/account?done=revoked", 303);
  });
}

export function AccountPage(props: {
  chrome: Chrome;
  label: string;
  passkeys: StoredPasskey[];
  sessions: SessionEntry[];
  current: string;
  notice?: string;
}) {
  const { chrome } = props;
  const { lang, csrf } = chrome;
  const title = t(lang, "cauth.title");
  const date = (iso: string | null) => (iso ? formatDate(chrome, new Date(iso)) : t(lang, "cauth.never"));
  return (
    <ConsoleLayout chrome={chrome} title={title}>
      <Notices notice={props.notice} />
      <h1>{title}</h1>
      <p>{t(lang, "cauth.you", { label: props.label })}</p>
      <h2>{t(lang, "cauth.passkeys")}</h2>
      <p>{t(lang, "cauth.passkeysIntro")}</p>
      <p>
        <button
          type="button"
          data-passkey="register"
          data-csrf={csrf}
          data-working={t(lang, "cauth.working")}
          data-failed={t(lang, "cauth.registerFailed")}
          data-unsupported={t(lang, "cauth.unsupported")}
          hidden
        >
          {t(lang, "cauth.addPasskey")}
        </button>
      </p>
      <p id="passkey-status" role="status" aria-live="polite">
        <noscript>{t(lang, "cauth.needsScript")}</noscript>
      </p>
      {props.passkeys.length === 0 && <p>{t(lang, "cauth.noPasskeys")}</p>}
      {props.passkeys.map((p, n) => (
        <section class="card" aria-labelledby={`pk-${n}`}>
          <h3 id={`pk-${n}`}>{t(lang, "cauth.passkeyOf", { label: p.label, n: n + 1 })}</h3>
          <p class="meta">{t(lang, "cauth.passkeyDates", { created: date(p.createdAt), used: date(p.lastUsedAt) })}</p>
          <form method="post" action={`/console/passkeys/${encodeURIComponent(p.id)}/remove`}>
            <input type="hidden" name="csrf" value={csrf} />
            <button type="submit" class="danger">
              {t(lang, "cauth.removePasskey")}
            </button>
          </form>
        </section>
      ))}
      <h2>{t(lang, "cauth.sessions")}</h2>
      <p>{t(lang, "cauth.sessionsIntro")}</p>
      {props.sessions.map((s, n) => (
        <section class="card" aria-labelledby={`s-${n}`}>
          <h3 id={`s-${n}`}>
            {s.label} {s.id === props.current && <span class="badge">{t(lang, "cauth.thisSession")}</span>}
          </h3>
          <p class="meta">
            {t(lang, s.via === "passkey" ? "cauth.viaPasskey" : "cauth.viaInvite")} ·{" "}
            {t(lang, "cauth.sessionDates", {
              started: date(s.startedAt),
              ends: formatDate(chrome, new Date(s.expires * 1000)),
            })}
          </p>
          <p class="meta text">{s.userAgent}</p>
          <form method="post" action={`/console/sessions/${s.id}/revoke`}>
            <input type="hidden" name="csrf" value={csrf} />
            <button type="submit" class="danger">
              {t(lang, "cauth.revoke")}
            </button>
          </form>
        </section>
      ))}
    </ConsoleLayout>
  );
}

/** Sign-in without a link: a passkey registered earlier. */
export function PasskeySignInPage(props: { chrome: Chrome }) {
  const { lang } = props.chrome;
  return (
    <ConsoleLayout chrome={props.chrome} title={t(lang, "signin.title")}>
      <h1>{t(lang, "signin.title")}</h1>
      <p>{t(lang, "cauth.signinIntro")}</p>
      <p>
        <button
          type="button"
          data-passkey="login"
          data-working={t(lang, "cauth.working")}
          data-failed={t(lang, "cauth.loginFailed")}
          data-unsupported={t(lang, "cauth.unsupported")}
          hidden
        >
          {t(lang, "cauth.signinButton")}
        </button>
      </p>
      <p id="passkey-status" role="status" aria-live="polite">
        <noscript>{t(lang, "cauth.needsScript")}</noscript>
      </p>
      <p class="hint">{t(lang, "cauth.signinNoPasskey")}</p>
    </ConsoleLayout>
  );
}
