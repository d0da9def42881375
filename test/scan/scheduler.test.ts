import { describe, expect, it } from "vitest";
import { Scheduler } from "../../src/scan/scheduler.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Scheduler: the package/domain pipeline", () => {
  it("keeps at most `concurrency` packages in flight and looks up each domain once", async () => {
    let inFlight = 0;
    let most = 0;
    const looked: string[] = [];
    const scheduler = new Scheduler({ concurrency: 3, deadlineMs: 5_000 });
    const outcome = await scheduler.run(["a", "b", "c", "d", "e", "f", "g"], {
      fetchPackage: async (name) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await sleep(5);
        inFlight--;
        return [`${name}.com`, "shared.org"];
      },
      lookUpDomain: async (domain) => {
        looked.push(domain);
      },
    });
    expect(most).toBe(3);
    expect(outcome.stopped).toBeUndefined();
    expect(looked.filter((d) => d === "shared.org")).toHaveLength(1);
    expect(outcome.domains).toHaveLength(8);
  });

  it("starts a package's lookups before the other packages are in (a pipeline, not two phases)", async () => {
    const events: string[] = [];
    await new Scheduler({ concurrency: 1, deadlineMs: 5_000 }).run(["fast", "slow"], {
      fetchPackage: async (name) => {
        if (name === "slow") await sleep(30);
        events.push(`package ${name}`);
        return [`${name}.com`];
      },
      lookUpDomain: async (domain) => {
        events.push(`domain ${domain}`);
      },
    });
    expect(events.indexOf("domain fast.com")).toBeLessThan(events.indexOf("package slow"));
  });

  it("resolves at the deadline with the work unfinished, and takes no new work", async () => {
    const started: string[] = [];
    const scheduler = new Scheduler({ concurrency: 1, deadlineMs: 50 });
    const t0 = Date.now();
    const outcome = await scheduler.run(["a", "b", "c"], {
      fetchPackage: async (name) => {
        started.push(name);
        await sleep(10_000);
        return [];
      },
      lookUpDomain: async () => {},
    });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(outcome.stopped).toBe("deadline");
    expect(started).toEqual(["a"]);
  });

  it("stops as interrupted when its signal aborts, at once", async () => {
    const controller = new AbortController();
    const scheduler = new Scheduler({
      concurrency: 2,
      deadlineMs: 60_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    const t0 = Date.now();
    const outcome = await scheduler.run(["a", "b"], {
      fetchPackage: () => sleep(10_000).then(() => []),
      lookUpDomain: async () => {},
    });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(outcome.stopped).toBe("interrupted");
    expect(scheduler.stopped).toBe("interrupted");
  });

  it("a stop from a task (the request layer saw the deadline) sticks and stops new work", async () => {
    const started: string[] = [];
    const scheduler = new Scheduler({ concurrency: 1, deadlineMs: 60_000 });
    const outcome = await scheduler.run(["a", "b"], {
      fetchPackage: async (name) => {
        started.push(name);
        scheduler.stop("deadline");
        scheduler.stop("interrupted");
        return ["x.com"];
      },
      lookUpDomain: async () => {},
    });
    expect(started).toEqual(["a"]);
    expect(outcome).toEqual({ stopped: "deadline", domains: [], mailDomains: [] });
  });
});

describe("Scheduler: its stop signal", () => {
  it("aborts once when the pipeline stops, and takes a listener per DNS query without a leak warning", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on("warning", onWarning);
    try {
      const scheduler = new Scheduler({ concurrency: 1, deadlineMs: 60_000 });
      let aborted = 0;
      for (let i = 0; i < 40; i++)
        scheduler.stopSignal.addEventListener("abort", () => aborted++, { once: true });
      scheduler.stop("deadline");
      scheduler.stop("interrupted");
      await new Promise((r) => setImmediate(r));
      expect(aborted).toBe(40);
      expect(scheduler.stopped).toBe("deadline");
      expect(warnings).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
