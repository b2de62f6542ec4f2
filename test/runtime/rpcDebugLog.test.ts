import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { dropRpcResponseDebugLog } from "../../components/runtime/rpcDebugLog.js";

describe("the SDK's debug log of RPC responses", () => {
  function fakeLog() {
    const messages: string[] = [];
    const log = { debug: ((message: string) => (messages.push(message), Promise.resolve())) as typeof pulumi.log.debug };
    return { log, messages };
  }

  it("drops the response lines (they carry resource outputs, secrets included) and keeps every other line", async () => {
    const { log, messages } = fakeLog();
    dropRpcResponseDebugLog(log);
    await log.debug("RegisterResource RPC finished: resource:local-1-gateway-token[random:index/randomPassword:RandomPassword]; err: null, resp: ...");
    await log.debug("ReadResource RPC finished: x; err: null, resp: ...");
    await log.debug("Registering resource: t=kubernetes:core/v1:Service, name=local-1-service");
    assert.deepEqual(messages, ["Registering resource: t=kubernetes:core/v1:Service, name=local-1-service"]);
  });

  it("filters once however often it is installed", async () => {
    const { log, messages } = fakeLog();
    dropRpcResponseDebugLog(log);
    const once = log.debug;
    dropRpcResponseDebugLog(log);
    assert.equal(log.debug, once);
    await log.debug("kept");
    assert.deepEqual(messages, ["kept"]);
  });
});
