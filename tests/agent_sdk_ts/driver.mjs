// Drives claw through the real TypeScript Claude Agent SDK (@anthropic-ai/claude-agent-sdk, installed in
// tests/.npm by tests/setup.d/mcp-servers.sh), as an SDK application would, pointing
// pathToClaudeCodeExecutable at claw. Usage: node driver.mjs SCENARIO CLAW WORKSPACE [OPTIONS_JSON]; prints one
// JSON object: {"messages": [...every message the SDK yielded...], "asked": [...canUseTool calls...],
// "initialization": initializationResult() of the "options" scenario}.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const sdk = join(here, "..", ".npm", "node_modules", "@anthropic-ai", "claude-agent-sdk", "sdk.mjs");
const { createSdkMcpServer, query, tool } = await import(pathToFileURL(sdk).href);

const [scenario, claw, workspace, extra] = process.argv.slice(2);
const options = { pathToClaudeCodeExecutable: claw, cwd: workspace, env: { ...process.env } };
const messages = [];
const asked = [];
let initialization = null;

function user(text) {
  return { type: "user", message: { role: "user", content: text }, parent_tool_use_id: null, session_id: "" };
}

if (scenario === "one-shot") {
  for await (const m of query({ prompt: "say hello", options: { ...options, systemPrompt: "Be brief." } })) {
    messages.push(m);
  }
} else if (scenario === "multi-turn") {
  // Streaming input: the second message is sent once the first turn's result has arrived.
  let firstDone;
  const first = new Promise((resolve) => (firstDone = resolve));
  async function* prompts() {
    yield user("one");
    await first;
    yield user("two");
  }
  for await (const m of query({ prompt: prompts(), options })) {
    messages.push(m);
    if (m.type === "result") {
      if (messages.filter((x) => x.type === "result").length === 1) firstDone();
      else break;
    }
  }
} else if (scenario === "can-use-tool") {
  const canUseTool = async (toolName, input, { toolUseID }) => {
    asked.push({ toolName, command: input.command, toolUseID });
    if (input.command === "touch asked.txt") return { behavior: "allow", updatedInput: { command: "touch rewritten.txt" } };
    if (input.command === "touch allowed.txt") return { behavior: "allow", updatedInput: input };
    return { behavior: "deny", message: "not that one" };
  };
  for await (const m of query({ prompt: "make files", options: { ...options, canUseTool } })) {
    messages.push(m);
  }
} else if (scenario === "options") {
  // Options from the 4th argument (JSON), merged into query()'s; prints initializationResult() too.
  const q = query({ prompt: "go", options: { ...options, ...JSON.parse(extra) } });
  for await (const m of q) messages.push(m);
  initialization = await q.initializationResult();
} else if (scenario === "sdk-mcp") {
  // An in-process MCP server (createSdkMcpServer): claw reaches its tool through mcp_message requests.
  const { z } = await import(pathToFileURL(join(here, "..", ".npm", "node_modules", "zod", "index.js")).href);
  const add = tool("add", "Add two numbers", { a: z.number(), b: z.number() }, async ({ a, b }) => ({
    content: [{ type: "text", text: String(a + b) }],
  }));
  const calc = createSdkMcpServer({ name: "calculator", tools: [add] });
  const q = query({ prompt: "add", options: { ...options, mcpServers: { calc }, allowedTools: ["mcp__calc__add"] } });
  for await (const m of q) messages.push(m);
  initialization = await q.initializationResult();
} else if (scenario === "task-end") {
  // Streaming input kept open until a background task's end is reported (a task_notification) after
  // the turn's result: the end comes between turns.
  let notified;
  const ended = new Promise((resolve) => (notified = resolve));
  async function* prompts() {
    yield user("start a job");
    await ended;
  }
  for await (const m of query({ prompt: prompts(), options: { ...options, allowedTools: ["Bash"] } })) {
    messages.push(m);
    if (m.type === "system" && m.subtype === "task_notification") {
      notified();
      break;
    }
  }
} else {
  throw new Error(`unknown scenario ${scenario}`);
}
process.stdout.write(JSON.stringify({ messages, asked, initialization }) + "\n");
