import type { CampaignPublisher } from "../domain/publisher";
import { Hono, type Context } from "hono";
import { ZodError } from "zod";
import type { Services } from "../services";
import {
  CampaignStateError,
  campaignPatch,
  createCampaign,
  findCampaign,
  listCampaignUpdates,
  listSteps,
  newCampaign,
  tally,
  type Campaign,
  isCampaignOf,
} from "../domain/campaigns";
import { findCommunity, type Community } from "../domain/communities";
import { recognition } from "../domain/recognition";
import { underField } from "../domain/field-errors";
import { readerLang, rememberReaderLang } from "../http/reader-lang";
import { campaignActions, campaignOutcome } from "../domain/campaign-actions";
import { isLang, t, type MessageKey } from "../i18n";
import { accountRoutes, PasskeySignInPage, passkeySignInRoutes } from "./account";
import { chromeOf, timeZoneOf, type ConsoleEnv } from "./env";
import { governanceRoutes } from "./governance";
import { listeningRoutes, loadListening } from "./listening";
import { moderationRoutes } from "./moderation";
import { loadDashboard } from "./data";
import {
  emptyValues,
  fieldErrors,
  formValues,
  stepBox,
  toCampaignInput,
  valuesOf,
  type CampaignFormValues,
  type FieldErrors,
} from "./form";
import { consumeInvite, peekInvite } from "../domain/invites";
import { CampaignConsolePage, DeleteConfirmPage } from "./pages/campaign";
import { CampaignFormPage, MastodonPreview } from "./pages/campaign-form";
import { CloseConfirmPage, PublishConfirmPage } from "./pages/confirm";
import { DashboardPage } from "./pages/dashboard";
import { MessagePage } from "./pages/layout";
import { SignInPage } from "./pages/signin";
import { csrfMatches, endSession, maySignIn, readSession, sameOrigin, SessionError, startSession } from "./session";
import { campaignUrl } from "../domain/urls";

// Notices shown after a redirect (post/redirect/get), named in the query: only these exist.
const notices: Record<string, MessageKey> = {
  saved: "form.saved",
  published: "action.published",
  update: "action.updatePosted",
  closed: "action.closed",
  deleted: "action.deleted",
  scheduled: "confirm.scheduled",
  unscheduled: "confirm.unscheduled",
};

/** The steward console: server-rendered pages and plain forms, usable without JavaScript. */
export function stewardConsole(publisher: CampaignPublisher, services: Services): Hono<ConsoleEnv> {
  const { db, config } = services;
  const host = new URL(config.origin).host;
  const actions = campaignActions(publisher, services);
  // the address the post links to (federation/campaign-object.ts: the campaign's own page)
  const campaignLink = (community: Community, campaign: Campaign) =>
    campaignUrl(config.origin, community.handle, campaign.id);
  const app = new Hono<ConsoleEnv>();

  const chrome = chromeOf;
  const message = (
    c: Context<ConsoleEnv>,
    status: 401 | 403 | 404 | 409 | 400 | 200,
    title: MessageKey,
    body: string,
    back = false,
  ) =>
    c.html(
      <MessagePage
        chrome={chrome(c)}
        title={t(c.get("lang"), title)}
        body={body}
        back={back}
        signin={status === 401}
      />,
      status,
    );

  app.use(async (c, next) => {
    c.set("lang", readerLang(c));
    // pages with a session or a sign-in secret are nobody's to cache or to frame
    c.header("Cache-Control", "no-store");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "same-origin");
    await next();
  });

  // A language choice is a preference, not a change to any data: a plain link sets it.
  app.get("/lang/:lang", (c) => {
    const lang = c.req.param("lang");
    if (isLang(lang)) rememberReaderLang(c, lang);
    const back = c.req.query("back") ?? "";
    // back to the page the switch was on, on this site only (never "//host" or "/\\host")
    return c.redirect(/^\/(?![/\\])[^\x00-\x1f]*$/.test(back) ? back : "/console", 303);
  });

  // Every POST, signed in or not, must come from this origin.
  app.use(async (c, next) => {
    if (c.req.method === "POST" && !sameOrigin(c, config.origin))
      return message(c, 403, "csrf.title", t(c.get("lang"), "csrf.body"));
    await next();
  });

  app.get("/signin", async (c) => {
    const token = c.req.query("token") ?? "";
    // without a link: sign in with a passkey registered earlier
    if (!token) return c.html(<PasskeySignInPage chrome={chrome(c)} />);
    const invite = await peekInvite(db, token);
    if (!invite.ok) return signinRefused(c, invite.reason);
    const community = await findCommunity(db, invite.handle);
    return c.html(<SignInPage chrome={chrome(c)} community={community?.name ?? invite.handle} token={token} />);
  });

  const signinRefused = (c: Context<ConsoleEnv>, reason: "unknown" | "used") =>
    reason === "used"
      ? message(c, 403, "signin.used.title", t(c.get("lang"), "signin.used.body"))
      : message(c, 403, "signin.invalid.title", t(c.get("lang"), "signin.invalid.body"));

  app.post("/signin", async (c) => {
    const body = await c.req.parseBody();
    const token = typeof body.token === "string" ? body.token : "";
    const invite = await consumeInvite(db, token);
    if (!invite.ok) return signinRefused(c, invite.reason);
    const community = await findCommunity(db, invite.handle);
    if (!community || !(await maySignIn(services, community, invite.label))) return signinRefused(c, "unknown");
    await startSession(c, services, community, invite.label, "invite");
    return c.redirect("/console", 303);
  });

  passkeySignInRoutes(app, services);

  // Everything below needs a session; every POST also the session's anti-forgery token (a form
  // field, or a header for the passkey script's JSON calls).
  app.use(async (c, next) => {
    try {
      c.set("session", await readSession(c, services));
    } catch (e) {
      if (!(e instanceof SessionError)) throw e;
      if (e.problem !== "missing") await endSession(c, services);
      const lang = c.get("lang");
      return message(c, 401, "session.invalid.title", t(lang, `session.${e.problem}.body`));
    }
    if (c.req.method === "POST") {
      const sent = c.req.header("x-csrf-token") ?? (await c.req.parseBody({ all: true })).csrf;
      if (!csrfMatches(c.get("session"), sent)) return message(c, 403, "csrf.title", t(c.get("lang"), "csrf.body"));
    }
    await next();
  });

  app.post("/signout", async (c) => {
    await endSession(c, services);
    return c.html(
      <MessagePage
        chrome={{ ...chromeOf(c), csrf: undefined, path: "/console" }}
        title={t(c.get("lang"), "signout.done.title")}
        body={t(c.get("lang"), "signout.done.body")}
        signin
      />,
    );
  });

  moderationRoutes(app, publisher, services);
  governanceRoutes(app, services);
  accountRoutes(app, services);

  app.get("/", async (c) => {
    const { community } = c.get("session");
    const done = notices[c.req.query("done") ?? ""];
    const data = await loadDashboard(db, community);
    return c.html(
      <DashboardPage
        chrome={chrome(c)}
        community={community}
        host={host}
        data={data}
        notice={done && t(c.get("lang"), done)}
      />,
    );
  });

  const formPage = (
    c: Context<ConsoleEnv>,
    p: {
      action: string;
      heading: string;
      values: CampaignFormValues;
      errors?: FieldErrors;
      stepsFixed?: boolean;
      preview?: { endsAt?: Date };
      alert?: string;
    },
    status: 200 | 409 | 422 = 200,
  ) =>
    c.html(
      <CampaignFormPage
        chrome={chrome(c)}
        community={c.get("session").community}
        host={host}
        errors={{}}
        stepsFixed={false}
        {...p}
      />,
      status,
    );

  app.get("/campaigns/new", async (c) => {
    const values = emptyValues(c.get("lang"), timeZoneOf(c));
    // a listening card's "next small step": a follow-up pre-filled from the campaign it came from
    const from = await findCampaign(db, c.req.query("from") ?? "").catch(() => undefined);
    if (from && from.communityId === c.get("session").community.id && !from.deletedAt) {
      const lang = c.get("lang");
      Object.assign(values, {
        title: t(lang, "clisten.followUpTitle", { title: from.title }).slice(0, 200),
        description: t(lang, "clisten.followUpDescription", { title: from.title }),
        language: from.language,
        hashtags: from.hashtags.map((h) => `#${h}`).join(" "),
        goal: from.goal === null ? "" : String(from.goal),
      });
    }
    return formPage(c, { action: "/console/campaigns/new", heading: t(c.get("lang"), "form.newTitle"), values });
  });

  app.post("/campaigns/new", async (c) => {
    const values = formValues(await c.req.parseBody({ all: true }), timeZoneOf(c));
    const base = { action: "/console/campaigns/new", heading: t(c.get("lang"), "form.newTitle"), values };
    // the API's own schema: a form and a JSON body are held to the same rules
    const parsed = newCampaign.safeParse(toCampaignInput(values, true));
    if (!parsed.success) return formPage(c, { ...base, errors: fieldErrors(parsed.error, stepBox(values)) }, 422);
    if ((await intent(c)) === "preview") return formPage(c, { ...base, preview: { endsAt: parsed.data.endsAt } });
    const campaign = await createCampaign(db, c.get("session").community.id, parsed.data);
    return c.redirect(`/console/campaigns/${campaign.id}?done=saved`, 303);
  });

  // Every route below names a campaign of the signed-in community.
  app.use("/campaigns/:id/*", async (c, next) => {
    const campaign = await findCampaign(db, c.req.param("id") ?? "");
    if (!campaign || !isCampaignOf(c.get("session").community, campaign) || campaign.deletedAt) {
      return message(c, 404, "notFound.title", t(c.get("lang"), "notFound.body"), true);
    }
    c.set("campaign", campaign);
    await next();
  });

  listeningRoutes(app, services);

  const campaignPage = async (
    c: Context<ConsoleEnv>,
    campaign: Campaign,
    extra: { errors?: FieldErrors; alert?: string } = {},
    status: 200 | 409 | 422 = 200,
  ) => {
    const done = notices[c.req.query("done") ?? ""];
    const lang = c.get("lang");
    // a listening card's "answer the concerns" lands here with the update pre-filled
    const draft =
      c.req.query("draft") === "concerns" ? t(lang, "clisten.concernsDraft", { title: campaign.title }) : undefined;
    return c.html(
      <CampaignConsolePage
        chrome={chrome(c)}
        handle={c.get("session").community.handle}
        campaign={campaign}
        tally={await tally(db, campaign.id)}
        updates={await listCampaignUpdates(db, campaign.id)}
        notice={done && t(c.get("lang"), done)}
        listening={campaign.status === "draft" ? undefined : await loadListening(services, campaign)}
        draft={draft}
        scheduled={campaign.status === "draft" ? await actions.scheduled(campaign) : undefined}
        recognition={campaign.status === "draft" ? undefined : await recognition(db, campaign.communityId, campaign.id)}
        preview={
          campaign.status === "draft" ? (
            <MastodonPreview
              lang={lang}
              timeZone={timeZoneOf(c)}
              community={c.get("session").community}
              host={host}
              values={valuesOf(campaign, await listSteps(db, campaign.id), timeZoneOf(c))}
              endsAt={campaign.endsAt}
              link={campaignLink(c.get("session").community, campaign)}
            />
          ) : undefined
        }
        {...extra}
      />,
      status,
    );
  };
  const stateAlert = (c: Context<ConsoleEnv>, e: CampaignStateError) =>
    t(c.get("lang"), "error.state", { detail: e.message });

  app.get("/campaigns/:id", (c) => campaignPage(c, c.get("campaign")));

  const editBase = (c: Context<ConsoleEnv>, values: CampaignFormValues) => {
    const campaign = c.get("campaign");
    return {
      action: `/console/campaigns/${campaign.id}/edit`,
      heading: t(c.get("lang"), "form.editTitle", { title: campaign.title }),
      values,
      stepsFixed: campaign.status !== "draft",
    };
  };

  app.get("/campaigns/:id/edit", async (c) => {
    const campaign = c.get("campaign");
    return formPage(c, editBase(c, valuesOf(campaign, await listSteps(db, campaign.id), timeZoneOf(c))));
  });

  app.post("/campaigns/:id/edit", async (c) => {
    const campaign = c.get("campaign");
    const values = formValues(await c.req.parseBody({ all: true }), timeZoneOf(c));
    const base = editBase(c, values);
    const parsed = campaignPatch.safeParse(toCampaignInput(values, !base.stepsFixed));
    if (!parsed.success) return formPage(c, { ...base, errors: fieldErrors(parsed.error, stepBox(values)) }, 422);
    if ((await intent(c)) === "preview") return formPage(c, { ...base, preview: { endsAt: parsed.data.endsAt } });
    try {
      await actions.edit(c.get("session").community, campaign, parsed.data);
    } catch (e) {
      if (e instanceof CampaignStateError) return formPage(c, { ...base, alert: stateAlert(c, e) }, 409);
      throw e;
    }
    return c.redirect(`/console/campaigns/${campaign.id}?done=saved`, 303);
  });

  /** Runs a state change; a state that forbids it is said on the campaign's page. */
  const change = async (
    c: Context<ConsoleEnv>,
    done: string,
    run: (campaign: Campaign) => Promise<unknown>,
    field?: string,
  ) => {
    const campaign = c.get("campaign");
    try {
      await run(campaign);
    } catch (e) {
      if (e instanceof CampaignStateError) return campaignPage(c, campaign, { alert: stateAlert(c, e) }, 409);
      if (e instanceof ZodError && field) return campaignPage(c, campaign, { errors: fieldErrors(e) }, 422);
      throw e;
    }
    return c.redirect(
      done === "deleted" ? "/console?done=deleted" : `/console/campaigns/${campaign.id}?done=${done}`,
      303,
    );
  };
  const field = async (c: Context<ConsoleEnv>, name: string) => {
    const value = (await c.req.parseBody({ all: true }))[name];
    return typeof value === "string" ? value : "";
  };

  // Publishing shows what will be sent first; the page's buttons say "now" or "at the start".
  const publishPage = async (c: Context<ConsoleEnv>) => {
    const campaign = c.get("campaign");
    const { community } = c.get("session");
    if (campaign.status !== "draft") return c.redirect(`/console/campaigns/${campaign.id}`, 303);
    return c.html(
      <PublishConfirmPage
        chrome={chrome(c)}
        community={community}
        host={host}
        campaign={campaign}
        values={valuesOf(campaign, await listSteps(db, campaign.id), timeZoneOf(c))}
        link={campaignLink(community, campaign)}
        ended={campaign.endsAt <= new Date()}
      />,
    );
  };
  app.get("/campaigns/:id/publish", publishPage);
  app.post("/campaigns/:id/publish", async (c) => {
    const how = await intent(c);
    const { community, label } = c.get("session");
    if (how === "now") return change(c, "published", (x) => actions.publish(community, x));
    if (how === "schedule") return change(c, "scheduled", (x) => actions.schedule(community, x, label));
    return publishPage(c);
  });
  app.post("/campaigns/:id/unschedule", (c) => change(c, "unscheduled", (x) => actions.unschedule(x)));
  app.post("/campaigns/:id/updates", async (c) => {
    const content = await field(c, "content");
    return change(
      c,
      "update",
      (x) => actions.postUpdate(c.get("session").community, x, content, underField("content")),
      "content",
    );
  });
  app.post("/campaigns/:id/close", async (c) => {
    const outcome = await field(c, "outcome");
    const confirmed = (await intent(c)) === "confirm";
    const close = async (x: Campaign) => {
      const valid = await campaignOutcome.parseAsync(outcome).catch(underField("outcome"));
      if (!confirmed) throw new NeedsConfirmation(valid);
      return actions.close(c.get("session").community, x, valid, c.get("session").label);
    };
    try {
      return await change(c, "closed", close, "outcome");
    } catch (e) {
      // a valid outcome, not yet confirmed: closing is said once more, with the outcome, before it is done
      if (e instanceof NeedsConfirmation)
        return c.html(<CloseConfirmPage chrome={chrome(c)} campaign={c.get("campaign")} outcome={e.outcome} />);
      throw e;
    }
  });
  app.get("/campaigns/:id/delete", (c) =>
    c.html(<DeleteConfirmPage chrome={chrome(c)} campaign={c.get("campaign")} />),
  );
  app.post("/campaigns/:id/delete", (c) => change(c, "deleted", (x) => actions.remove(c.get("session").community, x)));

  return app;
}

class NeedsConfirmation extends Error {
  constructor(readonly outcome: string) {
    super("closing needs confirmation");
  }
}

/** Which submit button sent the form: Preview or Save, Publish now or at the start, confirm. */
async function intent(c: Context): Promise<string> {
  const value = (await c.req.parseBody({ all: true })).intent;
  return typeof value === "string" ? value : "save";
}
