// RDAP servers of ccTLD registries that run RDAP but are missing from IANA's bootstrap file.
// Merged under the bootstrap at load time; where IANA lists a TLD, IANA's entry wins.
// Sources: the registries' published RDAP endpoints as collected by public client-side
// override lists (2025-11 and 2026-01); a TLD that later joins IANA's file is taken from there.

export const RDAP_SUPPLEMENT: Readonly<Record<string, string>> = {
  de: "https://rdap.denic.de/",
  ch: "https://rdap.nic.ch/",
  li: "https://rdap.nic.li/",
  co: "https://rdap.registry.co/co/",
  us: "https://rdap.nic.us/",
  my: "https://rdap.mynic.my/rdap/",
  gl: "https://rdap.centralnic.com/gl/",
  bh: "https://rdap.centralnic.com/bh/",
  io: "https://rdap.identitydigital.services/rdap/",
  ac: "https://rdap.identitydigital.services/rdap/",
  sh: "https://rdap.identitydigital.services/rdap/",
  me: "https://rdap.identitydigital.services/rdap/",
  ag: "https://rdap.identitydigital.services/rdap/",
  bz: "https://rdap.identitydigital.services/rdap/",
  lc: "https://rdap.identitydigital.services/rdap/",
  mn: "https://rdap.identitydigital.services/rdap/",
  pr: "https://rdap.identitydigital.services/rdap/",
  sc: "https://rdap.identitydigital.services/rdap/",
  vc: "https://rdap.identitydigital.services/rdap/",
};
