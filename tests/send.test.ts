/**
 * sendFlows / `flowgen send` over loopback to a UDP receiver of this test (127.0.0.1
 * only): datagrams within the MTU, headers and sequence numbers, several exporters, a
 * collector that is not there, pacing by rate and by simulated time; and exportPackets
 * files (IPFIX file, pcap).
 */
import { deepStrictEqual as assertEquals, ok, rejects, throws } from "node:assert/strict";
import { FlowGenerator } from "../mod.ts";
import { parseCollector, sendFlows } from "../src/send.ts";
import { exportPackets } from "../src/packet_export.ts";
import { ROOT, runCli, smallConfig } from "./_helpers.ts";

/** A UDP receiver on 127.0.0.1 (tests/udp_receiver.ts in a subprocess). */
interface Receiver {
  port: number;
  /** Waits until no datagram came for a while, then returns every datagram received. */
  packets(): Promise<Uint8Array[]>;
  close(): void;
}

async function receiver(): Promise<Receiver> {
  const file = await Deno.makeTempFile({ suffix: ".udp" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-net", `${ROOT}tests/udp_receiver.ts`, file, "500"],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the UDP receiver did not start");
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const port = Number(text.trim());
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  return {
    port,
    async packets() {
      await status;
      const bytes = await Deno.readFile(file);
      const packets: Uint8Array[] = [];
      for (let at = 0; at + 4 <= bytes.length;) {
        const length = new DataView(bytes.buffer).getUint32(at);
        packets.push(bytes.subarray(at + 4, at + 4 + length));
        at += 4 + length;
      }
      return packets;
    },
    close() {
      if (!exited) child.kill();
      child.stdout.cancel().catch(() => {});
      status.finally(() => Deno.remove(file).catch(() => {}));
    },
  };
}

const u16 = (p: Uint8Array, at: number) => (p[at] << 8) | p[at + 1];
const u32 = (p: Uint8Array, at: number) => new DataView(p.buffer, p.byteOffset).getUint32(at);

/** Data records of an IPFIX message (templates 256: 48 bytes, 257: 72 bytes). */
function ipfixRecords(p: Uint8Array): number {
  let n = 0;
  for (let at = 16; at + 4 <= p.length;) {
    const id = u16(p, at), length = u16(p, at + 2);
    if (id >= 256) n += Math.floor((length - 4) / (id === 256 ? 48 : 72));
    at += length;
  }
  return n;
}

Deno.test("parseCollector reads HOST:PORT and refuses the rest", () => {
  assertEquals(parseCollector("127.0.0.1:2055"), { host: "127.0.0.1", port: 2055 });
  assertEquals(parseCollector("[::1]:4739"), { host: "::1", port: 4739 });
  assertEquals(parseCollector("localhost:9995"), { host: "localhost", port: 9995 });
  for (const bad of ["127.0.0.1", "127.0.0.1:0", "host:70000", ":2055", "::1:2055"]) {
    throws(() => parseCollector(bad), RangeError, bad);
  }
});

Deno.test("IPFIX over UDP: every record, sequence numbers, MTU, domain id", async () => {
  const rx = await receiver();
  try {
    using generator = new FlowGenerator(smallConfig(5000, 7));
    const result = await sendFlows(generator, {
      collector: `127.0.0.1:${rx.port}`,
      format: "ipfix",
      mtu: 576,
      domainId: 99,
      rate: 20_000, // gentle enough for the receiver: loopback drops nothing
    });
    const packets = await rx.packets();
    assertEquals(result.records, 5000);
    assertEquals(result.sendErrors, 0);
    assertEquals(packets.length, result.packets);
    let before = 0;
    for (const p of packets) {
      ok(p.length <= 576 - 28, `datagram of ${p.length} bytes`);
      assertEquals(u16(p, 0), 10);
      assertEquals(u16(p, 2), p.length);
      assertEquals(u32(p, 8), before);
      assertEquals(u32(p, 12), 99);
      before += ipfixRecords(p);
    }
    assertEquals(before, 5000);
  } finally {
    rx.close();
  }
});

Deno.test("several exporters with their own identities send side by side", async () => {
  const rx = await receiver();
  try {
    const send = (engineId: number, seed: number) => {
      const generator = new FlowGenerator(smallConfig(600, seed));
      return sendFlows(generator, {
        collector: `127.0.0.1:${rx.port}`,
        format: "netflow5",
        engineId,
        rate: 50_000,
      }).finally(() => generator.close());
    };
    const results = await Promise.all([send(1, 1), send(2, 2), send(3, 3)]);
    const total = results.reduce((sum, r) => sum + r.packets, 0);
    const packets = await rx.packets();
    assertEquals(packets.length, total);
    for (const engine of [1, 2, 3]) {
      const mine = packets.filter((p) => p[21] === engine);
      let sequence = 0;
      for (const p of mine) {
        assertEquals(u32(p, 16), sequence, `engine ${engine} flow_sequence`);
        sequence += u16(p, 2);
      }
      assertEquals(sequence, 600);
    }
  } finally {
    rx.close();
  }
});

Deno.test("a collector that is not listening does not stop the sender", async () => {
  const rx = await receiver();
  const port = rx.port;
  rx.close(); // nothing listens there once it has exited: ICMP port unreachable
  await rx.packets().catch(() => {});
  using generator = new FlowGenerator(smallConfig(3000, 5));
  const result = await sendFlows(generator, { collector: `127.0.0.1:${port}`, format: "netflow9" });
  assertEquals(result.records, 3000);
  ok(result.sendErrors > 0, "refused sends are counted");
  ok(result.sendErrors <= result.packets + result.sendErrors);
});

Deno.test("speed paces by the simulated timestamps", async () => {
  const rx = await receiver();
  try {
    // 0.01 Gbps: 2000 records of ~400 bytes span about 0.64 s of simulated time.
    const config = smallConfig(2000, 9, { rate: { bandwidth_gbps: 0.01 } });
    using generator = new FlowGenerator(config);
    const result = await sendFlows(generator, {
      collector: `127.0.0.1:${rx.port}`,
      format: "netflow9",
      speed: 2,
    });
    // The records' simulated span (the timeline ends one record after the last start).
    const simulated = generator.getStats().simulated_seconds;
    ok(simulated > 0.1, `simulated span ${simulated} s`);
    // Pacing can only make the send slower than simulated / speed, never faster.
    ok(result.seconds >= simulated / 2 * 0.9, `${result.seconds} s for ${simulated} s at 2x`);
    ok(result.seconds < simulated / 2 * 5 + 1, `${result.seconds} s`);
  } finally {
    rx.close();
  }
});

Deno.test("bad options are refused before anything is sent", async () => {
  using generator = new FlowGenerator(smallConfig(10));
  await rejects(
    sendFlows(generator, { collector: "127.0.0.1:9", format: "ipfix", rate: 5, speed: 1 }),
    RangeError,
  );
  await rejects(
    sendFlows(generator, { collector: "127.0.0.1:9", format: "sflow" as "ipfix" }),
    RangeError,
  );
  await rejects(sendFlows(generator, { collector: "nowhere", format: "ipfix" }), RangeError);
});

Deno.test("flowgen send --rate 20000 over 10 s achieves the rate within 2 %", async () => {
  const rx = await receiver();
  try {
    const result = await runCli([
      "send",
      "--collector",
      `127.0.0.1:${rx.port}`,
      "-f",
      "netflow9",
      "--rate",
      "20000",
      "-n",
      "200000",
      "--seed",
      "1",
      "--json",
    ]);
    assertEquals(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout);
    assertEquals(summary.records, 200000);
    ok(summary.seconds >= 9.8, `${summary.seconds} s`);
    const error = Math.abs(summary.recordsPerSecond - 20000) / 20000;
    ok(error < 0.02, `achieved ${summary.recordsPerSecond} records/s`);
    assertEquals((await rx.packets()).length, summary.packets);
  } finally {
    rx.close();
  }
});

Deno.test("flowgen send: usage errors exit 2, help exits 0", async () => {
  assertEquals((await runCli(["send", "-f", "ipfix", "-n", "5"])).code, 2);
  assertEquals((await runCli(["send", "--collector", "127.0.0.1:9", "-f", "v10"])).code, 2);
  assertEquals(
    (await runCli(["send", "--collector", "127.0.0.1:9", "-n", "5", "--mtu", "100"])).code,
    2,
  );
  const help = await runCli(["send", "--help"]);
  assertEquals(help.code, 0);
  ok(help.stdout.includes("--collector"));
});

Deno.test("exportPackets writes an IPFIX file and a pcap", async () => {
  const dir = await Deno.makeTempDir();
  try {
    using a = new FlowGenerator(smallConfig(3000, 11));
    const ipfix = exportPackets(a, `${dir}/flows.ipfix`, { format: "ipfix" });
    assertEquals(ipfix.records, 3000);
    const file = await Deno.readFile(`${dir}/flows.ipfix`);
    assertEquals(file.length, ipfix.bytes);
    let records = 0, messages = 0;
    for (let at = 0; at < file.length; messages++) {
      const message = file.subarray(at, at + u16(file, at + 2));
      assertEquals(u16(message, 0), 10);
      records += ipfixRecords(message);
      at += message.length;
    }
    assertEquals(records, 3000);
    assertEquals(messages, ipfix.packets);

    using b = new FlowGenerator(smallConfig(3000, 11));
    const pcap = exportPackets(b, `${dir}/flows.pcap`, { format: "netflow5", container: "pcap" });
    const capture = await Deno.readFile(`${dir}/flows.pcap`);
    assertEquals(new DataView(capture.buffer).getUint32(0, true), 0xa1b2c3d4);
    assertEquals(
      capture.length,
      24 + pcap.packets * (16 + 42) + (pcap.bytes - 24 - pcap.packets * 58),
    );
    assertEquals(pcap.records, 3000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
