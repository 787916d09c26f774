/** Starting, restarting and talking to the genguard server. */

import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  type LanguageClientOptions,
  type Middleware,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { DEFAULT_THRESHOLDS, type Thresholds, withServerSettings } from './core/classify';
import { explainProbe, resolveLaunch, runProbe } from './core/launch';
import { AI_EDIT, type AiEditParams, FILE_PROVENANCE, type FileProvenance, SETTINGS } from './core/protocol';
import type { ServerState } from './core/status';
import { DOCUMENT_SELECTOR, launchSettings, openSettings, variables } from './settings';

/** Crashes tolerated in CRASH_WINDOW_MS before giving up, as vscode-languageclient's default does. */
const MAX_CRASHES = 4;
const CRASH_WINDOW_MS = 3 * 60_000;

export class GuardClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private state: ServerState = 'stopped';
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly declareEmitter = new vscode.EventEmitter<string>();
  /** Fires with a document URI after a declaration for it was sent. */
  readonly onDidDeclare = this.declareEmitter.event;
  private crashes: number[] = [];
  private starting: Promise<void> | undefined;
  /** The workspace's heuristics as the server last told them (`genguard/settings`). */
  thresholds: Thresholds = DEFAULT_THRESHOLDS;

  constructor(
    private readonly output: vscode.LogOutputChannel,
    private readonly middleware: Middleware,
  ) {}

  get serverState(): ServerState {
    return this.state;
  }

  get running(): boolean {
    return this.state === 'running' && this.client?.state === State.Running;
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.stateEmitter.fire(state);
  }

  start(): Promise<void> {
    this.starting ??= this.doStart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(): Promise<void> {
    this.setState('starting');
    const launch = resolveLaunch(launchSettings(), variables());
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    this.output.info(`starting: ${launch.command} ${launch.args.join(' ')} (from ${launch.via})`);
    // Check the command first so a missing genguard gets an explanation
    // instead of vscode-languageclient's generic "couldn't create connection".
    const result = await runProbe(launch, cwd);
    const failure = explainProbe(launch, result);
    if (failure) {
      this.output.error(failure.message);
      if (result.stderr) this.output.error(result.stderr.trim());
      this.setState('failed');
      void this.showFailure(failure.message, failure.fixes);
      return;
    }
    this.output.info(`found ${(result.stdout ?? '').trim()}`);
    const serverOptions: ServerOptions = {
      command: launch.command,
      args: launch.args,
      options: { cwd, env: process.env },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      middleware: this.middleware,
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue, handled: true }),
        closed: () => this.onClosed(),
      },
      initializationFailedHandler: (error) => {
        this.output.error(`initialize failed: ${String(error)}`);
        return false;
      },
    };
    const client = new LanguageClient('genguard', 'genguard', serverOptions, clientOptions);
    this.client = client;
    this.thresholds = DEFAULT_THRESHOLDS;
    client.onNotification(SETTINGS, (settings: unknown) => {
      if (client !== this.client) return;
      this.thresholds = withServerSettings(DEFAULT_THRESHOLDS, settings);
      this.output.info(`${SETTINGS}: heuristics ${this.thresholds.minLines} lines, ${this.thresholds.minChars} chars`);
    });
    client.onDidChangeState((e) => {
      if (client !== this.client) return;
      if (e.newState === State.Running) this.setState('running');
      else if (e.newState === State.Starting) this.setState('starting');
    });
    try {
      await client.start();
      this.setState('running');
    } catch (error) {
      this.output.error(`the server did not start: ${String(error)}`);
      this.setState('failed');
      void this.showFailure(
        `genguard started but did not complete the handshake: ${String(error)}. See the genguard output for its log.`,
        [],
      );
    }
  }

  private onClosed(): { action: CloseAction; handled: boolean } {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.crashes.length <= MAX_CRASHES) {
      this.output.warn('the server exited; restarting it');
      return { action: CloseAction.Restart, handled: true };
    }
    this.setState('failed');
    void this.showFailure(
      `genguard exited ${this.crashes.length} times in 3 minutes and was not restarted. The genguard output has its log; run "genguard: Restart Server" once it is fixed.`,
      [],
    );
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  private async showFailure(message: string, fixes: string[]): Promise<void> {
    const buttons = ['Open Settings', 'Show Output', ...(fixes.length ? ['Copy Install Command'] : []), 'Retry'];
    const choice = await vscode.window.showErrorMessage(message, ...buttons);
    if (choice === 'Open Settings') await openSettings();
    else if (choice === 'Show Output') this.output.show();
    else if (choice === 'Copy Install Command') await vscode.env.clipboard.writeText(fixes[0]);
    else if (choice === 'Retry') await this.restart();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        await client.dispose(2000);
      } catch (error) {
        this.output.warn(`stopping the server: ${String(error)}`);
      }
    }
    this.setState('stopped');
  }

  async restart(): Promise<void> {
    await this.starting;
    await this.stop();
    this.crashes = [];
    await this.start();
  }

  /** Sends a declaration; dropped (and logged) while the server is not running. */
  async declareAi(params: AiEditParams): Promise<void> {
    if (!this.client || !this.running) return;
    this.output.info(
      `${AI_EDIT} ${params.kind} by ${params.tool}: lines ${params.range.start.line + 1}-${params.range.end.line + 1} of ${params.textDocument.uri} (v${params.textDocument.version})`,
    );
    try {
      await this.client.sendNotification(AI_EDIT, params);
      this.declareEmitter.fire(params.textDocument.uri);
    } catch (error) {
      this.output.warn(`${AI_EDIT} not sent: ${String(error)}`);
    }
  }

  async provenance(uri: string): Promise<FileProvenance | undefined> {
    if (!this.client || !this.running) return undefined;
    try {
      return await this.client.sendRequest<FileProvenance>(FILE_PROVENANCE, { textDocument: { uri } });
    } catch (error) {
      this.output.warn(`${FILE_PROVENANCE} failed: ${String(error)}`);
      return undefined;
    }
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
    this.declareEmitter.dispose();
  }
}
