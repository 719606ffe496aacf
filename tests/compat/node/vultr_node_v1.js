// Drives the unmodified npm package @vultr/vultr-node 0.1.x (a Vultr API v1 client) against a vultr-state
// emulator. Run by tests/compat/test_vultr_node.py and benchmarks/compat_vultr_node.sh:
//   NODE_PATH=<dir with node_modules> node vultr_node_v1.js <base url> <api key>
// The client is only configured (baseUrl, apiKey, rateLimit = its request timeout), never patched.
// vultr-node 0.1.x resolves its promises with the request error instead of rejecting, so failures are
// detected by their statusCode. Prints one "ok <operation>" line per check and a final JSON summary;
// exits non-zero on the first mismatch.
'use strict'

const assert = require('assert')
const vultr = require('@vultr/vultr-node')

const [baseRoot, apiKey] = process.argv.slice(2)
const config = { apiKey, baseUrl: `${baseRoot}/v1`, rateLimit: 5000 }
const client = vultr.initialize(config)
const badClient = vultr.initialize({ ...config, apiKey: 'WRONG-KEY' })
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl node@ci'
const done = []

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

function ok (name) {
  done.push(name)
  console.log(`ok ${name}`)
}

async function call (name, fn, params) {
  const result = await fn(params)
  if (result instanceof Error) {
    throw new Error(`${name} failed: ${result.statusCode} ${JSON.stringify(result.error)}`)
  }
  return result
}

async function failure (name, fn, params, status, bodyPrefix) {
  const result = await fn(params)
  assert.ok(result instanceof Error, `${name}: expected an error, got ${JSON.stringify(result)}`)
  assert.strictEqual(result.statusCode, status, `${name}: status`)
  if (bodyPrefix) assert.ok(String(result.error).startsWith(bodyPrefix), `${name}: body ${result.error}`)
  ok(name)
}

async function waitFor (name, predicate, timeoutMs = 15000) {
  const started = Date.now()
  for (;;) {
    const value = await predicate()
    if (value) return value
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${name}`)
    await sleep(100)
  }
}

async function main () {
  // Catalog (public endpoints) and empty collections.
  const regions = await call('regions.list', client.regions.list)
  assert.strictEqual(regions['1'].DCID, '1')
  const plans = await call('plans.list', client.plans.list)
  assert.ok(Array.isArray(plans['201'].available_locations))
  const oses = await call('os.list', client.os.list)
  assert.strictEqual(oses['167'].OSID, 167)
  const available = await call('regions.availability', client.regions.availability, { DCID: 1 })
  assert.ok(available.includes(201))
  ok('catalog')
  for (const [name, fn] of [['server.list', client.server.list], ['sshkey.list', client.sshkey.list],
    ['startupScript.list', client.startupScript.list], ['snapshot.list', client.snapshot.list]]) {
    assert.deepStrictEqual(await call(name, fn), [], `${name} empty`)
  }
  ok('empty lists are []')

  // SSH key and startup script.
  const { SSHKEYID } = await call('sshkey.create', client.sshkey.create, { name: 'node-key', ssh_key: SSH_KEY })
  await call('sshkey.update', client.sshkey.update, { SSHKEYID, name: 'node-key-2' })
  const keys = await call('sshkey.list', client.sshkey.list)
  assert.strictEqual(keys[SSHKEYID].name, 'node-key-2')
  await failure('sshkey.create invalid', client.sshkey.create, { name: 'x', ssh_key: 'not a key' }, 412,
    'Unable to create SSH Key: Invalid SSH key.')
  ok('sshkey')
  const created = await call('startupScript.create', client.startupScript.create,
    { name: 'boot', script: '#!/bin/sh\necho hello' })
  assert.strictEqual(typeof created.SCRIPTID, 'number')
  const SCRIPTID = String(created.SCRIPTID)
  await call('startupScript.update', client.startupScript.update, { SCRIPTID, name: 'boot-2' })
  const scripts = await call('startupScript.list', client.startupScript.list)
  assert.strictEqual(scripts[SCRIPTID].SCRIPTID, SCRIPTID)
  assert.strictEqual(scripts[SCRIPTID].name, 'boot-2')
  ok('startup script')

  // Server: create, wait until active, label, tag, reverse DNS.
  const { SUBID } = await call('server.create', client.server.create, {
    DCID: 1, VPSPLANID: 201, OSID: 167, label: 'node-1', SSHKEYID, SCRIPTID: Number(SCRIPTID), enable_ipv6: 'yes'
  })
  const subid = Number(SUBID)
  const pending = await call('server.list SUBID', client.server.list, { SUBID: subid })
  assert.strictEqual(pending.SUBID, SUBID)
  const active = await waitFor('active', async () => {
    const server = await call('server.list SUBID', client.server.list, { SUBID: subid })
    return server.status === 'active' && server.power_status === 'running' ? server : null
  })
  assert.notStrictEqual(active.main_ip, '0.0.0.0')
  ok('server create and wait active')
  await call('server.setLabel', client.server.setLabel, { SUBID: subid, label: 'node-renamed' })
  await call('server.setTag', client.server.setTag, { SUBID: subid, tag: 'web' })
  const byTag = await call('server.list tag', client.server.list, { tag: 'web' })
  assert.strictEqual(byTag[SUBID].label, 'node-renamed')
  ok('label and tag')
  const ipv4 = await call('server.ipv4Info', client.server.ipv4Info, { SUBID: subid })
  assert.strictEqual(ipv4[SUBID][0].ip, active.main_ip)
  await call('server.setReverseIPv4', client.server.setReverseIPv4,
    { SUBID: subid, ip: active.main_ip, entry: 'node.example.com' })
  const ipv4After = await call('server.ipv4Info', client.server.ipv4Info, { SUBID: subid })
  assert.strictEqual(ipv4After[SUBID][0].reverse, 'node.example.com')
  await call('server.setDefaultReverseIPv4', client.server.setDefaultReverseIPv4,
    { SUBID: subid, ip: active.main_ip })
  await failure('server.setReverseIPv4 bad ip', client.server.setReverseIPv4,
    { SUBID: 1, ip: '256.1.1.1', entry: 'x.example.com' }, 412, 'Invalid IP address')
  await call('server.setReverseIPv6', client.server.setReverseIPv6,
    { SUBID: subid, ip: active.v6_main_ip, entry: 'node6.example.com' })
  // vultr-node sends these two reads as POST (the emulator accepts both methods for them).
  const ipv6 = await call('server.ipv6Info', client.server.ipv6Info, { SUBID: subid })
  assert.strictEqual(ipv6[SUBID][0].ip, active.v6_main_ip)
  const reverse6 = await call('server.listReverseIPv6', client.server.listReverseIPv6, { SUBID: subid })
  assert.deepStrictEqual(reverse6[SUBID], [{ ip: active.v6_main_ip, reverse: 'node6.example.com' }])
  await call('server.deleteReverseIPv6', client.server.deleteReverseIPv6, { SUBID: subid, ip: active.v6_main_ip })
  ok('reverse dns')
  const bandwidth = await call('server.bandwidth', client.server.bandwidth, { SUBID: subid })
  assert.ok(Array.isArray(bandwidth.incoming_bytes))
  const osList = await call('server.listOS', client.server.listOS, { SUBID: subid })
  assert.ok(Object.keys(osList).length > 0)
  await call('server.listUpgradePlan', client.server.listUpgradePlan, { SUBID: subid })
  ok('server reads')

  // Power operations.
  await call('server.halt', client.server.halt, { SUBID: subid })
  const halted = await call('server.list SUBID', client.server.list, { SUBID: subid })
  assert.strictEqual(halted.power_status, 'stopped')
  await call('server.start', client.server.start, { SUBID: subid })
  await call('server.reboot', client.server.reboot, { SUBID: subid })
  ok('power')

  // Snapshot: create, wait complete, destroy.
  const { SNAPSHOTID } = await call('snapshot.create', client.snapshot.create, { SUBID: subid, description: 'node' })
  await waitFor('snapshot complete', async () => {
    const snapshots = await call('snapshot.list', client.snapshot.list)
    return snapshots[SNAPSHOTID] && snapshots[SNAPSHOTID].status === 'complete'
  })
  await call('snapshot.delete', client.snapshot.delete, { SNAPSHOTID })
  await failure('snapshot.delete unknown', client.snapshot.delete, { SNAPSHOTID }, 412, 'Invalid snapshot.  ')
  ok('snapshot')

  // Error paths: bad key, unknown SUBID.
  await failure('bad key', badClient.server.list, undefined, 403)
  const publicWithBadKey = await call('os.list with bad key', badClient.os.list)
  assert.ok(publicWithBadKey['167'])
  await failure('unknown SUBID', client.server.halt, { SUBID: 999999 }, 412, 'Invalid server.  Check SUBID')
  ok('errors')

  // Destroy everything.
  await call('server.delete', client.server.delete, { SUBID: subid })
  await failure('server.delete again', client.server.delete, { SUBID: subid }, 412, 'Invalid server.  ')
  await call('sshkey.delete', client.sshkey.delete, { SSHKEYID })
  await call('startupScript.delete', client.startupScript.delete, { SCRIPTID })
  assert.deepStrictEqual(await call('server.list', client.server.list), [])
  ok('destroy')
  console.log(JSON.stringify({ client: '@vultr/vultr-node', checks: done.length }))
}

main().catch(error => {
  console.error(`FAIL ${error.stack || error}`)
  process.exit(1)
})
