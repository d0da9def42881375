// The benchmark's synthetic world: N packages whose maintainer addresses use D distinct
// registrable domains spread over several TLDs (one loopback RDAP server per TLD), plus a
// share of free-mail addresses that are never looked up. Deterministic for a given seed.

/** Free-mail providers every reasonable skip list has; about 30 % of packages use one. */
export const FREE_MAIL = [
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "yahoo.com",
  "protonmail.com",
];

/** TLDs and the share of custom domains on each (each TLD has its own RDAP server). */
export const TLD_SHARES = [
  ["com", 0.35],
  ["org", 0.25],
  ["net", 0.2],
  ["io", 0.2],
];

const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "tra",
  "zen",
  "qu",
  "bel",
  "dor",
  "fy",
  "py",
  "sta",
  "vex",
  "no",
  "ri",
  "cal",
  "um",
];

/** Small seeded PRNG (mulberry32) so that a case is the same world on every run. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function word(random, n) {
  let s = "";
  for (let i = 0; i < n; i++) s += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
  return s;
}

/**
 * Build a world.
 * @param {{ packages: number, domains: number, seed?: number, now?: Date }} opts
 * @returns {{ packages: Record<string, {version: string, author_email: string|null, maintainer_email: string|null, uploaded: string, project_urls: Record<string, string>}>,
 *             domains: Record<string, {state: string, created: string, expires?: string}>,
 *             order: string[], customDomains: string[], mx: Record<string, string[]>,
 *             extra: {mail: number, sites: number},
 *             byTld: Record<string, number>, customByTld: Record<string, number> }}
 * `byTld`: every domain the scan must look up (maintainer, mail-server and project-site
 * domains), per TLD; `customByTld`: the maintainer domains alone.
 */
export function buildWorld({ packages: n, domains: d, seed = 1, now = new Date() }) {
  const random = rng(seed);
  const day = 86_400_000;
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

  // Distinct custom domains, assigned to TLDs by share.
  const customDomains = [];
  const byTld = {};
  let assigned = 0;
  TLD_SHARES.forEach(([tld, share], i) => {
    const count = i === TLD_SHARES.length - 1 ? d - assigned : Math.round(d * share);
    assigned += count;
    byTld[tld] = count;
    for (let k = 0; k < count; k++)
      customDomains.push(`${word(random, 2)}${customDomains.length}.${tld}`);
  });

  // Domain states: mostly registered far ahead, some expiring soon, a few lapsed.
  const domains = {};
  for (const domain of customDomains) {
    const r = random();
    const created = iso(now.getTime() - (365 + Math.floor(random() * 5000)) * day);
    if (r < 0.02) domains[domain] = { state: "unregistered", created };
    else if (r < 0.03)
      domains[domain] = { state: "expired", created, expires: iso(now.getTime() - 20 * day) };
    else if (r < 0.035)
      domains[domain] = { state: "on-hold", created, expires: iso(now.getTime() + 200 * day) };
    else if (r < 0.1)
      domains[domain] = { state: "registered", created, expires: iso(now.getTime() + 40 * day) };
    else
      domains[domain] = {
        state: "registered",
        created,
        expires: iso(now.getTime() + (120 + random() * 2000) * day),
      };
  }
  for (const domain of FREE_MAIL) {
    domains[domain] = {
      state: "registered",
      created: "1995-08-13T04:00:00Z",
      expires: iso(now.getTime() + 900 * day),
    };
  }

  // Packages: 30 % free mail only; the rest name a custom domain. The first D custom packages
  // each take a new domain (so all D are used); later ones reuse domains with a skew (some
  // organisations publish many packages).
  const names = new Set();
  while (names.size < n) names.add(`${word(random, 2)}-${word(random, 1)}${names.size}`);
  const order = [...names];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const pkgs = {};
  let nextNew = 0;
  const pickCustom = () => {
    if (nextNew < customDomains.length) return customDomains[nextNew++];
    const skew = Math.floor(Math.pow(random(), 3) * customDomains.length);
    return customDomains[skew];
  };
  for (const name of order) {
    const r = random();
    const user = word(random, 2);
    const uploaded = iso(now.getTime() - Math.floor(random() * 1500) * day);
    const version = `${1 + Math.floor(random() * 5)}.${Math.floor(random() * 20)}.${Math.floor(random() * 10)}`;
    let author = null;
    let maintainer = null;
    if (r < 0.3) {
      author =
        random() < 0.5
          ? `${user}@${FREE_MAIL[Math.floor(random() * FREE_MAIL.length)]}`
          : `"${user}" <${user}@gmail.com>`;
    } else if (r < 0.9) {
      author = `${user[0].toUpperCase()}${user.slice(1)} <${user}@${pickCustom()}>`;
    } else {
      author = `${user}@${pickCustom()}`;
      maintainer = `team <dev@${pickCustom()}>, ${user}@gmail.com`;
    }
    pkgs[name] = { version, author_email: author, maintainer_email: maintainer, uploaded };
  }
  // Any custom domain not yet used (small N) goes to the last packages' maintainer field.
  let k = order.length - 1;
  while (nextNew < customDomains.length && k >= 0) {
    const p = pkgs[order[k--]];
    p.maintainer_email = [p.maintainer_email, `ops@${customDomains[nextNew++]}`]
      .filter(Boolean)
      .join(", ");
  }
  // Mail servers (MX) of the custom domains, as real maintainer domains have them: most at
  // Google or Microsoft (skipped), some on the domain itself, some at a small mail host under a
  // domain of its own (looked up; a few of those lapsed), a few with no MX records.
  const tldOf = (i, count) => {
    let acc = 0;
    for (const [tld, share] of TLD_SHARES) {
      acc += share;
      if (i / count < acc) return tld;
    }
    return TLD_SHARES[TLD_SHARES.length - 1][0];
  };
  const pool = (prefix, count, lapsedShare) => {
    const out = [];
    for (let i = 0; i < count; i++) {
      const domain = `${prefix}${word(random, 2)}${i}.${tldOf(i, count)}`;
      const created = iso(now.getTime() - (365 + Math.floor(random() * 5000)) * day);
      domains[domain] =
        random() < lapsedShare
          ? { state: "unregistered", created }
          : {
              state: "registered",
              created,
              expires: iso(now.getTime() + (120 + random() * 2000) * day),
            };
      out.push(domain);
    }
    return out;
  };
  const mailHosts = pool("mx", Math.max(2, Math.round(d * 0.04)), 0.05);
  const sites = pool("site", Math.max(2, Math.round(d * 0.1)), 0.03);
  const mx = {};
  for (const domain of customDomains) {
    const r = random();
    if (r < 0.55) mx[domain] = ["aspmx.l.google.com", "alt1.aspmx.l.google.com"];
    else if (r < 0.7) mx[domain] = [`${domain.replace(/\./g, "-")}.mail.protection.outlook.com`];
    else if (r < 0.85) mx[domain] = [`mail.${domain}`];
    else if (r < 0.95) mx[domain] = [`in.${mailHosts[Math.floor(random() * mailHosts.length)]}`];
    // else: no MX records (mail goes to the domain itself)
  }
  // Project links: every package has its code host; some a documentation site on the
  // maintainer's own domain (the same lookup), some on a project site of its own.
  for (const name of order) {
    const p = pkgs[name];
    const links = { Homepage: `https://github.com/bench-org/${name}` };
    const r = random();
    const own = /@([^>\s,]+)/.exec(p.author_email ?? "")?.[1];
    if (r < 0.3 && own && !FREE_MAIL.includes(own)) links.Documentation = `https://docs.${own}/`;
    else if (r < 0.5)
      links.Documentation = `https://${sites[Math.floor(random() * sites.length)]}/docs/`;
    p.project_urls = links;
  }
  // What the scan must look up, per TLD: the custom domains, the mail hosts' domains of custom
  // domains that take mail, and the project sites (the lower bound counts all of them).
  const lookedUp = new Set(customDomains);
  for (const [domain, hosts] of Object.entries(mx)) {
    const state = domains[domain].state;
    if (state !== "registered" && state !== "on-hold") continue;
    for (const host of hosts) {
      const under = mailHosts.find((m) => host.endsWith(`.${m}`));
      if (under) lookedUp.add(under);
    }
  }
  for (const p of Object.values(pkgs)) {
    const site = sites.find((s) => p.project_urls.Documentation?.includes(`//${s}/`));
    if (site) lookedUp.add(site);
  }
  const lookedUpByTld = {};
  for (const domain of lookedUp) {
    const tld = domain.slice(domain.lastIndexOf(".") + 1);
    lookedUpByTld[tld] = (lookedUpByTld[tld] ?? 0) + 1;
  }
  const extra = { mail: 0, sites: 0 };
  for (const domain of lookedUp) {
    if (mailHosts.includes(domain)) extra.mail++;
    else if (sites.includes(domain)) extra.sites++;
  }
  return {
    packages: pkgs,
    domains,
    order,
    customDomains,
    mx,
    extra,
    byTld: lookedUpByTld,
    customByTld: byTld,
  };
}

/** A requirements.txt that pins every package, in the world's (shuffled) order. */
export function requirementsText(world) {
  return world.order.map((name) => `${name}==${world.packages[name].version}`).join("\n") + "\n";
}
