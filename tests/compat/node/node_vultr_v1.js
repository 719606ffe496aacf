// Drives the unmodified npm package vultr 0.0.x (DeviaVir/node-vultr, a Vultr API v1 client whose own
// integration tests ran against the live API) against a vultr-state emulator. Run by
// benchmarks/compat_vultr_node.sh only, because the client waits 1 s before every call (its built-in pacing
// for the 2015 limit of 1 request/s), which is too slow for the unit-test suite:
//   NODE_PATH=<dir with node_modules> node node_vultr_v1.js <base url> <api key>
// The client is only configured (its endpoint attribute), never patched. Prints one "ok <operation>" line
// per check and a final JSON summary; exits non-zero on the first mismatch.
'use strict'

const assert = require('assert')
const Vultr = require('vultr')

const [baseRoot, apiKey] = process.argv.slice(2)
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl node@ci'
const done = []

function connect (key) {
  const client = new Vultr(key)
  client.endpoint = `${baseRoot}/v1/`
  return client
}

function ok (name) {
  done.push(name)
  console.log(`ok ${name}`)
}

async function failure (name, promise, status, bodyPrefix) {
  try {
    const value = await promise
    throw new assert.AssertionError({ message: `${name}: expected ${status}, got ${JSON.stringify(value)}` })
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error
    assert.strictEqual(error.statusCode, status, `${name}: ${error}`)
    if (bodyPrefix) assert.ok(String(error.error).startsWith(bodyPrefix), `${name}: body ${error.error}`)
  }
  ok(name)
}

async function main () {
  const client = connect(apiKey)
  const regions = await client.regions.list()
  assert.strictEqual(regions['1'].DCID, '1')
  const available = await client.regions.availability(1)
  assert.ok(available.includes(201))
  assert.deepStrictEqual(await client.server.list(), [])
  ok('catalog and empty server list')

  const { SSHKEYID } = await client.sshkey.create('node-vultr', SSH_KEY)
  await failure('sshkey.create invalid', client.sshkey.create('bad', 'not-a-key'), 412,
    'Unable to create SSH Key: Invalid SSH key.')
  const script = await client.startupscript.create('boot', '#!/bin/sh\necho hi')
  assert.strictEqual(typeof script.SCRIPTID, 'number')
  ok('sshkey and startup script')

  const { SUBID } = await client.server.create({
    region: 1, plan: 201, os: 167, label: 'node-vultr-1', sshkey: SSHKEYID,
    startupscript: script.SCRIPTID, enable_ipv6: true
  })
  let server = (await client.server.list())[SUBID]
  assert.ok(['pending', 'active'].includes(server.status), 'listed at once')
  while (server.status !== 'active') server = (await client.server.list())[SUBID]
  ok('server create and wait active')

  await client.server.setLabel(SUBID, 'renamed')
  assert.strictEqual((await client.server.list())[SUBID].label, 'renamed')
  await client.server.reverseSetIpv4(SUBID, server.main_ip, 'nv.example.com')
  const ipv4 = await client.server.listIpv4(SUBID)
  assert.strictEqual(ipv4[SUBID][0].reverse, 'nv.example.com')
  await client.server.reverseSetIpv6(SUBID, server.v6_main_ip, 'nv6.example.com')
  const reverse6 = await client.server.reverseListIpv6(SUBID)
  assert.strictEqual(reverse6[SUBID][0].reverse, 'nv6.example.com')
  await failure('reverse_set_ipv4 bad ip before SUBID', client.server.reverseSetIpv4(1, 'no', 'x'), 412,
    'Invalid IP address')
  ok('label and reverse dns')

  await client.server.halt(SUBID)
  assert.strictEqual((await client.server.list())[SUBID].power_status, 'stopped')
  await client.server.start(SUBID)
  ok('power')

  const { SNAPSHOTID } = await client.snapshot.create(SUBID, 'node-vultr')
  let snapshots = await client.snapshot.list()
  while (snapshots[SNAPSHOTID].status !== 'complete') snapshots = await client.snapshot.list()
  await client.snapshot.destroy(SNAPSHOTID)
  ok('snapshot')

  await failure('bad key', connect('WRONG-KEY').server.list(), 403)
  await failure('unknown SUBID', client.server.reboot(999999), 412, 'Invalid server.  Check SUBID')
  await client.server.destroy(SUBID)
  await failure('destroy again', client.server.destroy(SUBID), 412, 'Invalid server.  ')
  await client.sshkey.destroy(SSHKEYID)
  await client.startupscript.destroy(script.SCRIPTID)
  await failure('startupscript.destroy unknown', client.startupscript.destroy(script.SCRIPTID), 412,
    'Invalid statup script.  ')
  assert.deepStrictEqual(await client.server.list(), [])
  ok('errors and destroy')
  console.log(JSON.stringify({ client: 'vultr (node-vultr)', checks: done.length }))
}

main().catch(error => {
  console.error(`FAIL ${error.stack || error}`)
  process.exit(1)
})
