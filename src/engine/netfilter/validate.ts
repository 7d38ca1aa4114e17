/**
 * The checks the kernel (nf_tables with xt compat) makes when rules are committed, as measured with
 * iptables 1.8.9: a target limited to one table (REJECT: filter, DNAT/SNAT/MASQUERADE/REDIRECT: nat,
 * CT/NOTRACK: raw) fails in any chain of another table; REJECT with tcp-reset needs `-p tcp`; a jump to a
 * built-in chain fails; and every chain reachable from a built-in chain is checked against the hooks of
 * the chains that reach it (DNAT in a user chain jumped to from POSTROUTING fails) and for depth — more
 * than 16 nested jumps, which every loop reachable from a built-in chain produces, fails with EMLINK
 * ("Too many links"). Loops among chains no built-in chain reaches are accepted, as the kernel does.
 */
import type { Hook, Rule, Table } from './types.ts'
import { BUILTIN_CHAINS } from './types.ts'
import type { KernelErrno, KernelState } from './module-api.ts'
import { getMatch, getTarget } from './registry.ts'
import { ruleProtocolNumber } from './format-rule.ts'

/** NFT_JUMP_STACK_SIZE */
const MAX_DEPTH = 16

/**
 * Checks made when the kernel initialises one rule: the target's table, the modules' own checks, a jump
 * to a built-in chain, and, for a rule in a built-in chain, that chain's hook (xt_check_target with the
 * base chain's hook mask). Reachability through user chains is validateTable()'s business.
 */
export function checkRuleInTable(rule: Rule, table: Table, chain?: string, kernel: KernelState = NO_KERNEL_STATE): KernelErrno | undefined {
  const t = rule.target
  const targetModule = t?.kind === 'module' ? getTarget(t.module) : undefined
  // nf_tables looks every expression's extension up before initialising any: a missing one is ENOENT.
  if (rule.matches.some((m) => getMatch(m.module)?.unsupported) || targetModule?.unsupported) return 'ENOENT'
  if (chain !== undefined && (BUILTIN_CHAINS[table.name] as readonly string[]).includes(chain)) {
    const hook = chain as Hook
    if (!forEachHookLimit(rule, (allowed) => allowed.includes(hook))) return 'EINVAL'
  }
  const protocol = ruleProtocolNumber(rule)
  const protocolInverted = rule.protocol?.negated ?? false
  // xt_check_match / xt_check_target: the extension's protocol, then its own check.
  const protoMismatch = (proto: number | undefined) => proto !== undefined && (protocol !== proto || protocolInverted)
  for (const m of rule.matches) {
    const mod = getMatch(m.module)
    if (protoMismatch(mod?.proto)) return 'EINVAL'
    const err = mod?.kernelCheck?.(m.options as never, { protocol, protocolInverted, id: rule.id }, table.name, kernel)
    if (err) return err
  }
  if (!t) return undefined
  if (t.kind === 'module') {
    const mod = targetModule
    if (mod?.table && mod.table !== table.name) return 'EINVAL'
    if (protoMismatch(mod?.proto)) return 'EINVAL'
    const err = mod?.kernelCheck?.(t.options as never, { protocol, protocolInverted, id: rule.id }, table.name, kernel)
    if (err) return err
    return undefined
  }
  if ((BUILTIN_CHAINS[table.name] as readonly string[]).includes(t.chain)) return 'ENOENT'
  return undefined
}

/** A kernel without objects created by other rules (for checks made without a rule set at hand). */
export const NO_KERNEL_STATE: KernelState = { rules: () => [] }

/** Whether any match or the target of the rule limits the hooks it may run in; then calls `each` with them. */
function forEachHookLimit(rule: Rule, each: (allowed: readonly Hook[]) => boolean): boolean {
  for (const m of rule.matches) {
    const mod = getMatch(m.module)
    if (!mod?.hooks) continue
    const h = mod.hooks(m.options as never)
    if (h && !each(h)) return false
  }
  const t = rule.target
  if (t?.kind === 'module') {
    const mod = getTarget(t.module)
    if (mod?.hooks) {
      const h = mod.hooks(t.options as never)
      if (h && !each(h)) return false
    }
  }
  return true
}

/** Validate a whole table as the kernel does on commit; undefined when it is fine. */
export function validateTable(table: Table): KernelErrno | undefined {
  // Jump edges of every chain (only chains with jumps get an entry).
  const edges = new Map<string, string[]>()
  for (const [name, chain] of table.chains) {
    let targets: Set<string> | undefined
    for (const r of chain.rules) {
      const t = r.target
      if (t && (t.kind === 'jump' || t.kind === 'goto') && table.chains.has(t.chain)) (targets ??= new Set()).add(t.chain)
    }
    if (targets) edges.set(name, [...targets])
  }

  const builtins = BUILTIN_CHAINS[table.name]
  if (jumpStackOverflows(edges, builtins)) return 'EMLINK'

  // Hooks: which built-in chains reach each chain.
  const reaching = new Map<string, Hook[]>()
  for (const hook of builtins) {
    const stack = [hook as string]
    while (stack.length > 0) {
      const name = stack.pop()!
      let list = reaching.get(name)
      if (!list) reaching.set(name, (list = []))
      if (list.includes(hook)) continue
      list.push(hook)
      const next = edges.get(name)
      if (next) for (const n of next) stack.push(n)
    }
  }
  for (const [name, hooks] of reaching) {
    for (const rule of table.chains.get(name)?.rules ?? []) {
      const ok = forEachHookLimit(rule, (allowed) => hooks.every((h) => allowed.includes(h)))
      if (!ok) return 'EINVAL'
    }
  }
  return undefined
}

/**
 * Whether a jump path from a built-in chain is MAX_DEPTH jumps long (or a loop is reachable, which makes it
 * endless). An iterative depth-first walk: the path it holds never grows beyond MAX_DEPTH chains, and each
 * chain's longest onward path (capped) is remembered, so any table is checked in time linear in its jumps.
 */
function jumpStackOverflows(edges: ReadonlyMap<string, readonly string[]>, roots: readonly string[]): boolean {
  const longest = new Map<string, number>()
  const onPath = new Set<string>()
  for (const root of roots) {
    if (longest.has(root)) continue
    const path: { name: string; next: number; longest: number }[] = [{ name: root, next: 0, longest: 0 }]
    onPath.add(root)
    while (path.length > 0) {
      const top = path[path.length - 1]
      const depth = path.length - 1
      const targets = edges.get(top.name) ?? []
      if (top.next < targets.length) {
        const child = targets[top.next++]
        if (onPath.has(child)) return true
        const known = longest.get(child)
        if (known !== undefined) {
          top.longest = Math.max(top.longest, known + 1)
          if (depth + top.longest >= MAX_DEPTH) return true
          continue
        }
        if (depth + 1 >= MAX_DEPTH) return true
        onPath.add(child)
        path.push({ name: child, next: 0, longest: 0 })
        continue
      }
      path.pop()
      onPath.delete(top.name)
      longest.set(top.name, top.longest)
      const parent = path[path.length - 1]
      if (parent) parent.longest = Math.max(parent.longest, top.longest + 1)
    }
  }
  return false
}

export const ERRNO_TEXT: Record<KernelErrno, string> = {
  EINVAL: 'Invalid argument',
  ENOENT: 'No such file or directory',
  EMLINK: 'Too many links',
  ERANGE: 'Numerical result out of range',
  EOPNOTSUPP: 'Operation not supported',
  ENOSPC: 'No space left on device',
  EEXIST: 'File exists',
  EPERM: 'Operation not permitted',
  ENOMEM: 'Cannot allocate memory',
  E2BIG: 'Argument list too long',
}
