/**
 * How the server is started, and what to tell the user when it cannot be.
 *
 * genguard depends on compiled tree-sitter wheels, so the extension cannot
 * bundle it: it runs an installed `genguard`, or a Python that has it.
 */

import { execFile } from 'node:child_process';

export interface LaunchSettings {
  /** `genguard.path`: the genguard executable; empty means `genguard` on PATH. */
  path: string;
  /** `genguard.interpreter`: a Python to run `-m genguard` with. */
  interpreter: string;
  /** `genguard.args`: extra arguments after `serve`. */
  args: readonly string[];
}

export interface Launch {
  command: string;
  args: string[];
  /** Which setting chose the command, so a failure message can name it. */
  via: 'path' | 'interpreter' | 'default';
}

export interface Variables {
  workspaceFolder?: string;
  userHome?: string;
  env: Record<string, string | undefined>;
}

/** Expands `~`, `${userHome}`, `${workspaceFolder}` and `${env:NAME}` as VS Code settings do. */
export function expandVariables(value: string, vars: Variables): string {
  let out = value.trim();
  if (vars.userHome && (out === '~' || out.startsWith('~/') || out.startsWith('~\\'))) {
    out = vars.userHome + out.slice(1);
  }
  return out.replace(/\$\{(workspaceFolder|userHome|env:([^}]+))\}/g, (whole, name: string, envName?: string) => {
    if (envName !== undefined) return vars.env[envName] ?? '';
    const v = name === 'workspaceFolder' ? vars.workspaceFolder : vars.userHome;
    return v ?? whole;
  });
}

/** `genguard.path` wins over `genguard.interpreter`; with neither, `genguard` on PATH. */
export function resolveLaunch(s: LaunchSettings, vars: Variables): Launch {
  const extra = s.args.map((a) => expandVariables(a, vars)).filter((a) => a.length > 0);
  const path = expandVariables(s.path, vars);
  if (path) return { command: path, args: ['serve', ...extra], via: 'path' };
  const python = expandVariables(s.interpreter, vars);
  if (python) return { command: python, args: ['-m', 'genguard', 'serve', ...extra], via: 'interpreter' };
  return { command: 'genguard', args: ['serve', ...extra], via: 'default' };
}

/** The same command asked for its version: a quick check that it can start at all. */
export function probeOf(launch: Launch): Launch {
  const args = launch.via === 'interpreter' ? ['-m', 'genguard', '--version'] : ['--version'];
  return { ...launch, args };
}

export interface ProbeResult {
  /** Error code of a failed spawn (`ENOENT`, `EACCES`, `ETIMEDOUT`...). */
  code?: string;
  exitCode?: number | null;
  stdout?: string;
  stderr?: string;
}

export interface StartFailure {
  message: string;
  /** Shell commands that would fix it, for the notification. */
  fixes: string[];
}

function lastLine(text: string | undefined): string {
  const lines = (text ?? '').trim().split(/\r?\n/).filter((l) => l.trim());
  return lines[lines.length - 1]?.trim() ?? '';
}

/** `undefined` when the probe shows a working genguard; else why it fails and how to fix it. */
export function explainProbe(launch: Launch, probe: ProbeResult): StartFailure | undefined {
  if (!probe.code && probe.exitCode === 0 && /genguard/i.test(probe.stdout ?? '')) return undefined;
  const cmd = launch.command;
  const install = launch.via === 'interpreter' ? `${cmd} -m pip install genguard` : 'pip install genguard';
  const settings = 'or set genguard.path to the genguard executable, or genguard.interpreter to a Python that has it';
  if (probe.code === 'ENOENT') {
    if (launch.via === 'default') {
      return {
        message: `genguard is not installed, or not on the PATH VS Code sees. Run \`${install}\`, ${settings}.`,
        fixes: [install],
      };
    }
    const setting = launch.via === 'path' ? 'genguard.path' : 'genguard.interpreter';
    return { message: `${setting} is set to "${cmd}", which does not exist. Correct or clear ${setting}.`, fixes: [] };
  }
  if (probe.code === 'EACCES') {
    return { message: `"${cmd}" is not executable. Make it executable (chmod +x) or ${settings}.`, fixes: [] };
  }
  if (probe.code === 'ETIMEDOUT') {
    return { message: `"${cmd} ${probeOf(launch).args.join(' ')}" did not answer in time.`, fixes: [] };
  }
  const err = `${probe.stderr ?? ''}\n${probe.stdout ?? ''}`;
  if (/No module named '?genguard'?/.test(err)) {
    return {
      message: `The Python at "${cmd}" does not have genguard. Run \`${install}\`, or point genguard.interpreter at the Python where it is installed.`,
      fixes: [install],
    };
  }
  if (probe.code) return { message: `"${cmd}" could not be started (${probe.code}).`, fixes: [] };
  const detail = lastLine(probe.stderr) || lastLine(probe.stdout) || 'no output';
  return {
    message: `"${cmd} ${probeOf(launch).args.join(' ')}" failed (exit ${probe.exitCode ?? 'signal'}): ${detail}. Reinstall with \`${install}\`, ${settings}.`,
    fixes: [install],
  };
}

/** Runs the probe: the launch command asked for `--version`, with a time limit. */
export function runProbe(launch: Launch, cwd: string | undefined, timeoutMs = 20_000): Promise<ProbeResult> {
  const p = probeOf(launch);
  return new Promise((resolve) => {
    execFile(p.command, p.args, { cwd, timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      if (!error) return resolve({ exitCode: 0, stdout, stderr });
      const e = error as Error & { killed?: boolean; code?: string | number };
      if (e.killed) return resolve({ code: 'ETIMEDOUT', stdout, stderr });
      if (typeof e.code === 'string') return resolve({ code: e.code, stdout, stderr });
      resolve({ exitCode: typeof e.code === 'number' ? e.code : null, stdout, stderr });
    });
  });
}
