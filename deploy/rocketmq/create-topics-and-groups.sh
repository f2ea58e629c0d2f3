#!/bin/sh
# Generated from libs/contracts by apps/demo/src/apache-rocketmq-setup.ts: do not edit by hand.
# Creates the shop's topics and consumer groups on Apache RocketMQ 5 (idempotent: updateTopic and
# updateSubGroup create or update). Usage: create-topics-and-groups.sh <namesrv host:port> [cluster]
set -eu
NAMESRV=${1:?name server address, e.g. rocketmq-namesrv:9876}
CLUSTER=${2:-DefaultCluster}
MQADMIN="${ROCKETMQ_HOME:-/home/rocketmq/rocketmq-5.3.2}/bin/mqadmin"
# The broker registers with the name server some seconds after it starts: retry for up to 3 minutes.
admin() {
  attempt=0
  until "$MQADMIN" "$@" -n "$NAMESRV" -c "$CLUSTER"; do
    attempt=$((attempt + 1))
    [ "$attempt" -lt 60 ] || { echo "mqadmin $* kept failing" >&2; exit 1; }
    sleep 3
  done
}
admin updateTopic -t user-registered -r 8 -w 8 -a +message.type=TRANSACTION
admin updateTopic -t user-lifecycle -r 8 -w 8 -a +message.type=FIFO
admin updateTopic -t order-created -r 8 -w 8 -a +message.type=TRANSACTION
admin updateTopic -t message-processing -r 8 -w 8 -a +message.type=NORMAL
admin updateTopic -t order-lifecycle -r 8 -w 8 -a +message.type=FIFO
admin updateTopic -t purchase-requests -r 8 -w 8 -a +message.type=NORMAL
admin updateTopic -t stock-results -r 8 -w 8 -a +message.type=NORMAL
admin updateTopic -t stock-levels -r 8 -w 8 -a +message.type=NORMAL
admin updateTopic -t price-changes -r 8 -w 8 -a +message.type=NORMAL
admin updateTopic -t price-snapshot-requests -r 8 -w 8 -a +message.type=NORMAL
admin updateSubGroup -g notification-email
admin updateSubGroup -g notification-sms
admin updateSubGroup -g notification-contacts -o true
admin updateSubGroup -g notification-orders -o true
admin updateSubGroup -g inventory-orders
admin updateSubGroup -g inventory-order-cancellations -o true
admin updateSubGroup -g inventory-purchases
admin updateSubGroup -g inventory-price-snapshots
admin updateSubGroup -g order-stock-results
echo "topics and groups created"
