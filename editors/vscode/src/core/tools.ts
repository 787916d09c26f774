/**
 * Which AI tool wrote something, named the way commit trailers name it
 * (`Assisted-by: copilot:gpt-4o`): short, lower-case, no spaces. The name is
 * what `approved_tools` in .genguard.toml is matched against, so one tool gets
 * one name whichever of its extensions is installed.
 */

export interface KnownExtension {
  /** Extension id, lower-case (VS Code ids are case-insensitive). */
  id: string;
  tool: string;
  /** Provides inline completions (ghost text). */
  inline: boolean;
  /** Edits files from a chat panel. */
  chat: boolean;
  /** Edits files on its own, as an agent. */
  agent: boolean;
}

export const KNOWN_EXTENSIONS: readonly KnownExtension[] = [
  { id: 'github.copilot', tool: 'copilot', inline: true, chat: false, agent: false },
  // Copilot Chat also serves inline completions in current releases
  { id: 'github.copilot-chat', tool: 'copilot', inline: true, chat: true, agent: true },
  { id: 'continue.continue', tool: 'continue', inline: true, chat: true, agent: true },
  { id: 'sourcegraph.cody-ai', tool: 'cody', inline: true, chat: true, agent: false },
  { id: 'codeium.codeium', tool: 'codeium', inline: true, chat: true, agent: false },
  { id: 'tabnine.tabnine-vscode', tool: 'tabnine', inline: true, chat: true, agent: false },
  { id: 'supermaven.supermaven', tool: 'supermaven', inline: true, chat: true, agent: false },
  { id: 'amazonwebservices.amazon-q-vscode', tool: 'amazon-q', inline: true, chat: true, agent: true },
  { id: 'google.geminicodeassist', tool: 'gemini-code-assist', inline: true, chat: true, agent: true },
  { id: 'saoudrizwan.claude-dev', tool: 'cline', inline: false, chat: false, agent: true },
  { id: 'rooveterinaryinc.roo-cline', tool: 'roo-code', inline: false, chat: false, agent: true },
  { id: 'kilocode.kilo-code', tool: 'kilo-code', inline: false, chat: false, agent: true },
  { id: 'anthropic.claude-code', tool: 'claude-code', inline: false, chat: false, agent: true },
  { id: 'openai.chatgpt', tool: 'codex', inline: false, chat: false, agent: true },
];

/** The name the server gets when the inline provider cannot be told apart. */
export const UNKNOWN_INLINE_TOOL = 'inline-completion-provider';

/** A free-form tool or model name as a trailer-like token: `GitHub Copilot` -> `github-copilot`. */
export function toolName(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._+-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `tool:model` as in an `Assisted-by:` trailer; the model is left out when unknown. */
export function assistedBy(tool: string, model?: string | null): string {
  return model ? `${tool}:${model}` : tool;
}

export function knownActive(activeIds: Iterable<string>): KnownExtension[] {
  const active = new Set([...activeIds].map((id) => id.toLowerCase()));
  return KNOWN_EXTENSIONS.filter((e) => active.has(e.id));
}

/**
 * Whether Copilot completes in a language, from its `github.copilot.enable`
 * setting (`{"*": true, "markdown": false, ...}`; a missing key means on).
 */
export function copilotEnabledFor(languageId: string, enable: unknown): boolean {
  if (enable === null || typeof enable !== 'object') return true;
  const map = enable as Record<string, unknown>;
  if (typeof map[languageId] === 'boolean') return map[languageId] as boolean;
  if (typeof map['*'] === 'boolean') return map['*'] as boolean;
  return true;
}

/**
 * The tool behind an accepted inline suggestion. VS Code does not say which
 * provider produced the ghost text, so a name is given only when exactly one
 * known inline tool can have produced it; otherwise the generic name.
 */
export function inlineTool(activeIds: Iterable<string>, languageId: string, copilotEnable: unknown): string {
  const tools = new Set(
    knownActive(activeIds)
      .filter((e) => e.inline && (e.tool !== 'copilot' || copilotEnabledFor(languageId, copilotEnable)))
      .map((e) => e.tool),
  );
  return tools.size === 1 ? [...tools][0] : UNKNOWN_INLINE_TOOL;
}

export interface EditingTool {
  tool: string;
  chat: boolean;
  agent: boolean;
}

/** Active tools that can write into files from a chat or as an agent, one entry per tool. */
export function editingTools(activeIds: Iterable<string>): EditingTool[] {
  const byTool = new Map<string, EditingTool>();
  for (const e of knownActive(activeIds)) {
    if (!e.chat && !e.agent) continue;
    const t = byTool.get(e.tool) ?? { tool: e.tool, chat: false, agent: false };
    t.chat ||= e.chat;
    t.agent ||= e.agent;
    byTool.set(e.tool, t);
  }
  return [...byTool.values()];
}
