/**
 * Gateway faults on command (REST faults belong to the REST server). Each targets the sessions of
 * one shard (`{ shard: 0 }`) or one session (`{ session: id }`) and returns how many connections
 * it hit, so a test can assert it did something.
 */
import { GatewayOP } from '../../util/constants.js';
import type { FaultTarget, GatewayServer } from './GatewayServer.js';

/**
 * Gateway faults a test injects on demand into the simulator's live connections (drops, op 7, op 9, zombie
 * heartbeats, malformed frames); reached as `simulator.faults`.
 */
export class GatewayFaults {
  constructor(private readonly server: GatewayServer) {}

  /** Abrupt drop: the socket is destroyed without a close frame; the client sees 1006. Resumable. */
  drop(target: FaultTarget): number {
    const connections = this.server.connectionsFor(target);
    for (const connection of connections) connection.terminate();
    return connections.length;
  }

  /** Op 7 RECONNECT; the socket is cut after the grace period if the client does not close it. */
  reconnect(target: FaultTarget): number {
    const connections = this.server.connectionsFor(target);
    for (const connection of connections) {
      connection.sendOp(GatewayOP.Reconnect, null);
      connection.terminateAfter(this.server.options.reconnectGraceMs);
    }
    return connections.length;
  }

  /** Op 9 INVALID_SESSION. With `resumable: false` the session is gone (the client must identify). */
  invalidSession(target: FaultTarget, resumable: boolean): number {
    const connections = this.server.connectionsFor(target);
    for (const connection of connections) {
      const session = connection.session;
      connection.sendOp(GatewayOP.InvalidSession, resumable);
      if (!resumable && session) {
        connection.session = null;
        this.server.invalidate(session);
      }
      connection.terminateAfter(this.server.options.reconnectGraceMs);
    }
    return connections.length;
  }

  /** Stop (or resume) answering heartbeats with op 11 on the current connections (zombie test). */
  withholdHeartbeatAcks(target: FaultTarget, withhold = true): number {
    const connections = this.server.connectionsFor(target);
    for (const connection of connections) connection.heartbeatAcks = !withhold;
    return connections.length;
  }

  /** Send a frame that is not valid JSON (compressed like any other frame when negotiated). */
  malformedFrame(target: FaultTarget): number {
    const connections = this.server.connectionsFor(target);
    for (const connection of connections) connection.sendRaw('{"op":0,"t":"MESSAGE_CREATE","s":');
    return connections.length;
  }

  /** The next `count` connections get op 7 instead of HELLO (Discord may do this). */
  reconnectBeforeHello(count = 1): void {
    this.server.reconnectBeforeHello += count;
  }
}
