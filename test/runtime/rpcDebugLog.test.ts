import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { dropRpcResponseDebugLog, isRpcDebugLogFiltered, isRpcPayloadLine } from "../../components/runtime/rpcDebugLog.js";

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

  it("drops every payload line @pulumi/pulumi 3.259 writes, as it formats them, and keeps their payload-free neighbours", () => {
    const payload = "secret-token-value";
    const dropped = [
      `RegisterResource RPC finished: resource:x[random:index/randomPassword:RandomPassword]; err: null, resp: ${payload}`,
      `ReadResource RPC finished: resource:x; err: null, resp: ${payload}`,
      `RegisterResourceOutputs RPC finished: urn=urn:pulumi:s::p::t::x; err: null, resp: ${payload}`,
      `Invoke RPC finished: tok=kubernetes:yaml:decode; err: null, resp: ${payload}`,
      `Call RPC finished: tok=pkg:index:fn; err: null, resp: ${payload}`,
      `getResource Invoke RPC finished: err: null, resp: ${payload}`,
      // "Invoke RPC prepared: ..." + flag ? ", obj=..." : "": the SDK always logs the serialized arguments alone.
      `, obj={"password":"${payload}"}`,
      `RegisterResource RPC prepared: t=random:index/randomPassword:RandomPassword, name=x, obj={"result":"${payload}"}`,
      `RegisterResourceOutputs RPC prepared: urn=urn:pulumi:s::p::t::x, outputs={"token":"${payload}"}`,
      `Invoking function: tok=pkg:index:fn asynchronously, props={"key":"${payload}"}`,
      `Calling function: tok=pkg:index:fn, props={"key":"${payload}"}`,
      `Serialize property [resource:x[t].result]: primitive=${payload}`,
    ];
    const kept = [
      "Registering resource: t=kubernetes:core/v1:Service, name=local-1-service, custom=true, remote=false",
      "RegisterResource RPC prepared: t=kubernetes:core/v1:Service, name=local-1-service",
      "Invoking function: tok=pkg:index:fn asynchronously",
      "Getting resource: urn=urn:pulumi:s::p::t::x",
      "Reading resource: t=t, name=x",
      "RegisterResource RPC failed: t=t, name=x, err=Error: boom",
    ];
    assert.deepEqual(dropped.filter((line) => !isRpcPayloadLine(line)), []);
    assert.deepEqual(kept.filter(isRpcPayloadLine), []);
  });

  it("knows every debug line of the installed SDK's runtime that interpolates a payload (an SDK upgrade that adds one fails here)", () => {
    const runtimeDir = join(dirname(createRequire(import.meta.url).resolve("@pulumi/pulumi/package.json")), "runtime");
    const payloadLines = readdirSync(runtimeDir)
      .filter((file) => file.endsWith(".js"))
      .flatMap((file) => readFileSync(join(runtimeDir, file), "utf8").split("\n").filter((line) => /(resp: |obj=|props=|outputs=|primitive=)\$\{/.test(line)).map((line) => `${file}: ${line.trim()}`));
    // Each one is a case of the test above; a new one needs a pattern (and a case) before the SDK is upgraded.
    assert.equal(payloadLines.length, 16, payloadLines.join("\n"));
  });

  it("is installed on the SDK's own log by loading the Gateway, for every program and the multi-language component", async () => {
    await import("../../components/gateway/gateway.js");
    // The module the SDK's runtime logs through (runtime/resource.js requires "../log"), not a copy of it.
    const sdkLog = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi/runtime/resource.js"))("../log");
    assert.equal(sdkLog, pulumi.log);
    assert.equal(isRpcDebugLogFiltered(sdkLog), true);
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
