/**
 * A UDP receiver on 127.0.0.1 for the send tests, run as a subprocess (it needs
 * --unstable-net; the node:dgram shim drops datagrams under load). Prints its port on
 * the first line of stdout, writes every datagram to FILE as a u32 (big-endian) length
 * and the bytes, and exits once no datagram came for IDLE_MS after the first one (or
 * after 60 s in all).
 *
 * Usage: deno run -A --unstable-net tests/udp_receiver.ts FILE [IDLE_MS]
 */
const [file, idleText] = Deno.args;
const idle = Number(idleText ?? 800);
const socket = Deno.listenDatagram({ hostname: "127.0.0.1", port: 0, transport: "udp" });
console.log((socket.addr as Deno.NetAddr).port);

// Datagrams are kept in memory and written at the end: a file write per datagram is slow
// enough for the socket buffer to overflow at a few thousand datagrams per second.
const received: Uint8Array[] = [];
function finish(): never {
  const total = received.reduce((sum, data) => sum + 4 + data.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const data of received) {
    new DataView(bytes.buffer).setUint32(at, data.length);
    bytes.set(data, at + 4);
    at += 4 + data.length;
  }
  Deno.writeFileSync(file, bytes);
  Deno.exit(0);
}

let timer = setTimeout(finish, 60_000);
for await (const [data] of socket) {
  received.push(data);
  clearTimeout(timer);
  timer = setTimeout(finish, idle);
}
