// A producer process that dies between the half message and its commit (the transactions spec runs it).
// argv: <endpoint> <topic> <postgres url> <schema> <orderId> <insertRow: yes|no>
// It prints {"messageId"} once the half message is stored (and the row committed, if asked), then SIGKILLs itself.
const { writeSync } = require('node:fs');
const { Logger } = require('@nestjs/common');
const { Client } = require('pg');
const { ClientRocketMQ } = require('@rocketmq-shop/rocketmq-transport');

Logger.overrideLogger(false); // stdout carries only the result line

const [endpoints, topic, url, schema, orderId, insertRow] = process.argv.slice(2);

async function main() {
  const client = new ClientRocketMQ({ endpoints, startupTimeoutMs: 10000 });
  client.registerTransactionCheck(topic, async () => 'unknown');
  await client.sendInTransaction(topic, { orderId }, async (receipt) => {
    if (insertRow === 'yes') {
      const db = new Client({ connectionString: url });
      await db.connect();
      await db.query(`INSERT INTO "${schema}".orders (id) VALUES ($1)`, [orderId]);
      await db.end();
    }
    writeSync(1, `${JSON.stringify({ messageId: receipt.messageId })}\n`);
    process.kill(process.pid, 'SIGKILL');
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
