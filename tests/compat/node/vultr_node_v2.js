// Drives the unmodified npm package @vultr/vultr-node 2.x (Vultr's own API v2 client) against a vultr-state
// emulator. Run by tests/compat/test_vultr_node_v2.py:
//   NODE_PATH=<dir with node_modules> node vultr_node_v2.js <base url> <api key>
// The client is only configured (baseUrl, apiKey), never patched. vultr-node 2.x resolves its promises with
// an Error ("<reason phrase>: <error text>") instead of rejecting, and with undefined for answers without a
// JSON body. Prints one "ok <operation>" line per check and a final JSON summary; exits non-zero on the
// first mismatch.
'use strict'

const assert = require('assert')
const vultr = require('@vultr/vultr-node')

const [baseRoot, apiKey] = process.argv.slice(2)
const client = vultr.initialize({ apiKey, baseUrl: `${baseRoot}/v2` })
const badClient = vultr.initialize({ apiKey: 'WRONG-KEY', baseUrl: `${baseRoot}/v2` })
const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl node@ci'
const SCRIPT = Buffer.from('#!/bin/sh\necho node\n').toString('base64')
const done = []

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

function ok (name) {
  done.push(name)
  console.log(`ok ${name}`)
}

async function call (name, fn, params) {
  const result = await fn(params)
  if (result instanceof Error) throw new Error(`${name} failed: ${result.message}`)
  return result
}

async function failure (name, fn, params, message) {
  const result = await fn(params)
  assert.ok(result instanceof Error, `${name}: expected an error, got ${JSON.stringify(result)}`)
  assert.strictEqual(result.message, message, `${name}: message`)
  ok(name)
}

async function waitFor (name, fn, params, test) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const result = await call(name, fn, params)
    if (test(result)) return result
    await sleep(50)
  }
  throw new Error(`${name}: gave up waiting`)
}

async function main () {
  const regions = await call('listRegions', client.regions.listRegions)
  assert.ok(regions.regions.some(r => r.id === 'ams'))
  ok('listRegions')
  await failure('bad key', badClient.sshKeys.listSshKeys, undefined, 'Unauthorized: Invalid API token.')

  const key = (await call('createSshKey', client.sshKeys.createSshKey, { name: 'node', ssh_key: SSH_KEY })).ssh_key
  ok('createSshKey')
  assert.strictEqual(await call('updateSshKey', client.sshKeys.updateSshKey, { 'ssh-key-id': key.id, name: 'node-2' }), undefined)
  const keys = await call('listSshKeys', client.sshKeys.listSshKeys)
  assert.deepStrictEqual(keys.ssh_keys.map(k => k.name), ['node-2'])
  assert.strictEqual(keys.meta.total, 1)
  ok('listSshKeys')

  const script = (await call('createStartupScript', client.startupScripts.createStartupScript,
    { name: 'node', script: SCRIPT, type: 'boot' })).startup_script
  ok('createStartupScript')
  const fetched = await call('getStartupScript', client.startupScripts.getStartupScript, { 'startup-id': script.id })
  assert.strictEqual(Buffer.from(fetched.startup_script.script, 'base64').toString(), '#!/bin/sh\necho node\n')
  ok('getStartupScript')
  const scripts = await call('listStartupScripts', client.startupScripts.listStartupScripts)
  assert.ok(!('script' in scripts.startup_scripts[0]))
  ok('listStartupScripts')

  const created = (await call('createInstance', client.instances.createInstance, {
    region: 'ams', plan: 'vc2-1c-1gb', os_id: '477', label: 'node-1', sshkey_id: [key.id], script_id: script.id,
    enable_ipv6: true, tags: ['node'], user_data: Buffer.from('#cloud-config\n').toString('base64')
  })).instance
  assert.strictEqual(created.status, 'pending')
  assert.ok(created.default_password.length > 0)
  ok('createInstance')
  const id = { 'instance-id': created.id }
  const active = await waitFor('getInstance', client.instances.getInstance, id,
    r => r.instance.server_status === 'ok')
  ok('getInstance (active)')
  assert.strictEqual(await call('haltInstance', client.instances.haltInstance, id), undefined)
  assert.strictEqual((await call('getInstance', client.instances.getInstance, id)).instance.power_status, 'stopped')
  ok('haltInstance')
  await call('startInstance', client.instances.startInstance, id)
  await call('rebootInstance', client.instances.rebootInstance, id)
  assert.strictEqual((await call('getInstance', client.instances.getInstance, id)).instance.power_status, 'running')
  ok('startInstance rebootInstance')
  const patched = await call('updateInstance', client.instances.updateInstance, { ...id, label: 'node-renamed' })
  assert.strictEqual(patched.instance.label, 'node-renamed')
  ok('updateInstance')

  const mainIp = active.instance.main_ip
  await call('createInstanceReverseIpv4', client.instances.createInstanceReverseIpv4,
    { ...id, ip: mainIp, reverse: 'node.example.com' })
  const ipv4 = await call('listInstanceIpv4Information', client.instances.listInstanceIpv4Information, id)
  assert.strictEqual(ipv4.ipv4s[0].reverse, 'node.example.com')
  ok('reverse IPv4')
  await call('setDefaultReverseDnsEntry', client.instances.setDefaultReverseDnsEntry, { ...id, ip: mainIp })
  const reset = await call('listInstanceIpv4Information', client.instances.listInstanceIpv4Information, id)
  assert.strictEqual(reset.ipv4s[0].reverse, `${mainIp}.vultrusercontent.com`)
  ok('default reverse IPv4')
  const v6 = (await call('getInstanceIpv6Information', client.instances.getInstanceIpv6Information, id)).ipv6s[0].ip
  await call('createInstanceReverseIpv6', client.instances.createInstanceReverseIpv6,
    { ...id, ip: v6, reverse: 'node6.example.com' })
  const reverse6 = await call('listInstanceIpv6ReverseInformation',
    client.instances.listInstanceIpv6ReverseInformation, id)
  assert.deepStrictEqual(reverse6.reverse_ipv6s, [{ ip: v6, reverse: 'node6.example.com' }])
  await call('deleteInstanceReverseIpv6', client.instances.deleteInstanceReverseIpv6, { ...id, ipv6: v6 })
  const none6 = await call('listInstanceIpv6ReverseInformation',
    client.instances.listInstanceIpv6ReverseInformation, id)
  assert.deepStrictEqual(none6.reverse_ipv6s, [])
  ok('reverse IPv6')
  const userData = await call('getInstanceUserData', client.instances.getInstanceUserData, id)
  assert.strictEqual(Buffer.from(userData.user_data.data, 'base64').toString(), '#cloud-config\n')
  ok('getInstanceUserData')

  const snapshot = (await call('createSnapshot', client.snapshots.createSnapshot,
    { instance_id: created.id, description: 'node snapshot' })).snapshot
  assert.strictEqual(snapshot.status, 'pending')
  await waitFor('getSnapshot', client.snapshots.getSnapshot, { 'snapshot-id': snapshot.id },
    r => r.snapshot.status === 'complete')
  ok('snapshot complete')
  await call('updateSnapshot', client.snapshots.updateSnapshot, { 'snapshot-id': snapshot.id, description: 'renamed' })
  const snapshots = await call('listSnapshots', client.snapshots.listSnapshots)
  assert.deepStrictEqual(snapshots.snapshots.map(s => s.description), ['renamed'])
  ok('listSnapshots')

  assert.strictEqual(await call('deleteInstance', client.instances.deleteInstance, id), undefined)
  await failure('getInstance (gone)', client.instances.getInstance, id, 'Not Found: instance not found')
  await call('deleteSnapshot', client.snapshots.deleteSnapshot, { 'snapshot-id': snapshot.id })
  await call('deleteStartupScript', client.startupScripts.deleteStartupScript, { 'startup-id': script.id })
  await call('deleteSshKey', client.sshKeys.deleteSshKey, { 'ssh-key-id': key.id })
  const empty = await call('listSshKeys', client.sshKeys.listSshKeys)
  assert.deepStrictEqual(empty.ssh_keys, [])
  ok('cleanup')
  console.log(JSON.stringify({ checks: done.length }))
}

main().catch(error => {
  console.error(error.stack || String(error))
  process.exit(1)
})
