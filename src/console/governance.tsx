import type { Hono } from "hono";
import { z, ZodError } from "zod";
import type { Services } from "../services";
import {
  appoint,
  currentRules,
  governance,
  GovernanceStateError,
  removeRole,
  rulesInput,
  setRules,
  type CommunityRole,
} from "../domain/governance";
import { AccountResolutionError } from "../domain/accounts";
import { t, type MessageKey } from "../i18n";
import { diffLines, type DiffLine } from "./diff";
import { chromeOf, noticeOf, textField, type ConsoleContext, type ConsoleEnv } from "./env";
import { createInvite } from "../domain/invites";
import { removePasskeysOf } from "./passkeys";
import { revokeSessionsOf } from "./sessions";
import { ConsoleLayout, Notices, type Chrome } from "./pages/layout";
import { formatDate } from "./pages/parts";

/**
 * Governance in the console: the rules (a diff shown before saving), who holds which role
 * (appointed by fediverse handle, resolved through WebFinger), and one-time sign-in links for
 * stewards, made here rather than on the server's shell. Every change is a public act.
 */

const notices: Record<string, MessageKey> = {
  rules: "cgov.rulesSaved",
  appointed: "cgov.appointed",
  removed: "cgov.removed",
};
const roleName = z.enum(["steward", "moderator"]);

export function governanceRoutes(app: Hono<ConsoleEnv>, services: Services): void {
  const { db, config } = services;

  const page = async (
    c: ConsoleContext,
    extra: { alert?: string; draft?: string; typed?: string } = {},
    status: 200 | 404 | 409 | 422 = 200,
  ) => {
    const { community } = c.get("session");
    const view = await governance(db, community.id);
    return c.html(
      <GovernancePage
        chrome={chromeOf(c)}
        handle={community.handle}
        roles={view.roles}
        rules={view.rules[0]?.text ?? ""}
        version={view.rules[0]?.version}
        notice={noticeOf(c, notices)}
        {...extra}
      />,
      status,
    );
  };

  app.get("/governance", (c) => page(c));

  // Preview shows the diff against the rules in force; only the confirmation page's button saves.
  app.post("/governance/rules", async (c) => {
    const body = await c.req.parseBody();
    const text = textField(body, "text").replace(/\r\n/g, "\n");
    const parsed = rulesInput.safeParse({ text });
    if (!parsed.success) return page(c, { alert: t(c.get("lang"), "cgov.error.rules"), draft: text }, 422);
    const { community } = c.get("session");
    const before = (await currentRules(db, community.id))?.text ?? "";
    if (textField(body, "intent") !== "save") {
      return c.html(
        <RulesDiffPage
          chrome={chromeOf(c)}
          text={parsed.data.text}
          diff={diffLines(before, parsed.data.text)}
          unchanged={before === parsed.data.text}
        />,
      );
    }
    await setRules(services, community, parsed.data, c.get("session").label);
    return c.redirect("/console/governance?done=rules", 303);
  });

  app.post("/governance/roles", async (c) => {
    const body = await c.req.parseBody();
    const lang = c.get("lang");
    const handle = textField(body, "handle");
    const role = roleName.safeParse(textField(body, "role"));
    if (!role.success) return page(c, { alert: t(lang, "cgov.error.role"), typed: handle }, 422);
    try {
      if (!services.lookupAccount) throw new Error("This process cannot look up fediverse accounts.");
      await appoint(
        services,
        c.get("session").community,
        { actor: handle, role: role.data },
        c.get("session").label,
        services.lookupAccount,
      );
    } catch (e) {
      if (e instanceof AccountResolutionError)
        return page(c, { alert: t(lang, "cgov.error.handle", { detail: e.message }), typed: handle }, 422);
      if (e instanceof GovernanceStateError)
        return page(c, { alert: t(lang, "cgov.error.state", { detail: e.message }), typed: handle }, 409);
      if (e instanceof ZodError)
        return page(c, { alert: t(lang, "cgov.error.handle", { detail: "" }), typed: handle }, 422);
      throw e;
    }
    return c.redirect("/console/governance?done=appointed", 303);
  });

  app.post("/governance/roles/:id/remove", async (c) => {
    const removed = await removeRole(services, c.get("session").community, c.req.param("id"), c.get("session").label);
    if (!removed) return page(c, { alert: t(c.get("lang"), "cgov.error.noRole") }, 404);
    // a former steward's way in closes with the role: passkeys, open sessions (links are refused at sign-in)
    if (removed.role === "steward") {
      await removePasskeysOf(db, c.get("session").community, removed.actor);
      await revokeSessionsOf(db, c.get("session").community, removed.actor);
    }
    return c.redirect("/console/governance?done=removed", 303);
  });

  // A sign-in link for a steward of this community, named after their account: the public
  // record then names that account for what they do.
  app.post("/governance/roles/:id/invite", async (c) => {
    const { community } = c.get("session");
    const role = (await governance(db, community.id)).roles.find(
      (r) => r.id === c.req.param("id") && r.role === "steward",
    );
    if (!role) return page(c, { alert: t(c.get("lang"), "cgov.error.noRole") }, 404);
    const secret = await createInvite(db, community.handle, role.actor);
    return c.html(
      <InviteLinkPage
        chrome={chromeOf(c)}
        actor={role.actor}
        link={`${config.origin}/console/signin?token=${secret}`}
      />,
    );
  });
}

const short = (iri: string) => iri.replace(/^https?:\/\//, "");

export function GovernancePage(props: {
  chrome: Chrome;
  handle: string;
  roles: CommunityRole[];
  rules: string;
  version?: number;
  notice?: string;
  alert?: string;
  draft?: string;
  typed?: string;
}) {
  const { chrome, roles } = props;
  const { lang, csrf } = chrome;
  const title = t(lang, "cgov.title");
  return (
    <ConsoleLayout chrome={chrome} title={title}>
      <Notices
        notice={props.notice}
        alert={props.alert}
        extra={<a href={`/communities/${props.handle}/governance`}>{t(lang, "cgov.publicPage")}</a>}
      />
      <h1>{title}</h1>
      <h2>{t(lang, "cgov.rules")}</h2>
      <p class="meta">
        {props.version ? t(lang, "cgov.rulesVersion", { version: props.version }) : t(lang, "cgov.noRules")}
      </p>
      <form method="post" action="/console/governance/rules">
        <input type="hidden" name="csrf" value={csrf} />
        <label for="f-rules">{t(lang, "cgov.rulesLabel")}</label>
        <p class="hint" id="h-rules">
          {t(lang, "cgov.rulesHint")}
        </p>
        <textarea id="f-rules" name="text" aria-describedby="h-rules" rows={10}>
          {props.draft ?? props.rules}
        </textarea>
        <div class="actions">
          <button type="submit" name="intent" value="preview">
            {t(lang, "cgov.rulesReview")}
          </button>
        </div>
      </form>
      <h2>{t(lang, "cgov.roles")}</h2>
      {roles.length === 0 && <p>{t(lang, "cgov.noRoles")}</p>}
      {roles.map((r) => (
        <section class="card" aria-label={short(r.actor)}>
          <p>
            <a href={r.actor} rel="nofollow noopener">
              {short(r.actor)}
            </a>{" "}
            <span class="badge">{t(lang, r.role === "steward" ? "cgov.steward" : "cgov.moderator")}</span>
          </p>
          <p class="meta">{t(lang, "cgov.since", { date: formatDate(chrome, r.since), by: r.appointedBy })}</p>
          <div class="actions">
            {r.role === "steward" && (
              <form method="post" action={`/console/governance/roles/${r.id}/invite`}>
                <input type="hidden" name="csrf" value={csrf} />
                <button type="submit" class="secondary">
                  {t(lang, "cgov.invite")}
                </button>
              </form>
            )}
            <form method="post" action={`/console/governance/roles/${r.id}/remove`}>
              <input type="hidden" name="csrf" value={csrf} />
              <button type="submit" class="danger" aria-label={t(lang, "cgov.removeNamed", { who: short(r.actor) })}>
                {t(lang, "cgov.remove")}
              </button>
            </form>
          </div>
        </section>
      ))}
      <form method="post" action="/console/governance/roles" class="card">
        <input type="hidden" name="csrf" value={csrf} />
        <h3>{t(lang, "cgov.appoint")}</h3>
        <label for="f-handle">{t(lang, "cgov.handle")}</label>
        <p class="hint" id="h-handle">
          {t(lang, "cgov.handleHint")}
        </p>
        <input
          type="text"
          id="f-handle"
          name="handle"
          value={props.typed ?? ""}
          aria-describedby="h-handle"
          autocomplete="off"
        />
        <label for="f-role">{t(lang, "cgov.role")}</label>
        <select id="f-role" name="role">
          <option value="moderator">{t(lang, "cgov.moderator")}</option>
          <option value="steward">{t(lang, "cgov.steward")}</option>
        </select>
        <div class="actions">
          <button type="submit">{t(lang, "cgov.appointButton")}</button>
        </div>
      </form>
    </ConsoleLayout>
  );
}

function RulesDiffPage(props: { chrome: Chrome; text: string; diff: DiffLine[]; unchanged: boolean }) {
  const { chrome } = props;
  const { lang, csrf } = chrome;
  const title = t(lang, "cgov.diffTitle");
  return (
    <ConsoleLayout chrome={chrome} title={title}>
      <h1>{title}</h1>
      <p>{t(lang, props.unchanged ? "cgov.diffNone" : "cgov.diffIntro")}</p>
      {/* biome-ignore lint/a11y/useSemanticElements: a scrolling diff, not a document section; the role makes it a named landmark */}
      <div class="diff" role="region" aria-label={t(lang, "cgov.diffTitle")}>
        {props.diff.map((l) =>
          l.op === "same" ? (
            <div>{`  ${l.text}`}</div>
          ) : l.op === "del" ? (
            <div>
              <del>{`− ${l.text}`}</del>
            </div>
          ) : (
            <div>
              <ins>{`+ ${l.text}`}</ins>
            </div>
          ),
        )}
      </div>
      <form method="post" action="/console/governance/rules" class="actions">
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="text" value={props.text} />
        <button type="submit" name="intent" value="save">
          {t(lang, "cgov.diffSave")}
        </button>
        <a class="button secondary" href="/console/governance">
          {t(lang, "cgov.diffCancel")}
        </a>
      </form>
    </ConsoleLayout>
  );
}

function InviteLinkPage(props: { chrome: Chrome; actor: string; link: string }) {
  const { lang } = props.chrome;
  const title = t(lang, "cgov.inviteTitle");
  return (
    <ConsoleLayout chrome={props.chrome} title={title}>
      <h1>{title}</h1>
      <p>{t(lang, "cgov.inviteIntro", { who: short(props.actor) })}</p>
      <code class="link" id="invite-link">
        {props.link}
      </code>
      <p>
        <button type="button" class="secondary" data-copy="invite-link" data-copied={t(lang, "copy.done")} hidden>
          {t(lang, "copy.button")}
        </button>
      </p>
      <p>
        <a href="/console/governance">{t(lang, "cgov.back")}</a>
      </p>
    </ConsoleLayout>
  );
}
