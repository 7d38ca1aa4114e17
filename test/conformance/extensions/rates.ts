/**
 * Rates, counters and schedules: limit, hashlimit, quota, rateest with RATEEST, recent, statistic,
 * cluster, cpu, time, nfacct.
 */
import type { ConformanceCase } from '../cases.ts'
import { LIST } from './listings.ts'


export const RATE_CASES: ConformanceCase[] = [
  {
    name: 'limit every form',
    steps: [
      'iptables -A INPUT -m limit --limit 1/s', 'iptables -A INPUT -m limit --limit 1/second --limit-burst 1', 'iptables -A INPUT -m limit --limit 7/m',
      'iptables -A INPUT -m limit --limit 60/minute', 'iptables -A INPUT -m limit --limit 24/h', 'iptables -A INPUT -m limit --limit 1/d', 'iptables -A INPUT -m limit --limit 10000/s',
      'iptables -A INPUT -m limit --limit 7', 'iptables -A INPUT -m limit --limit-burst 10000', 'iptables -A INPUT -m limit --limit 3/hour --limit-burst 0',
      'iptables -A INPUT -m limit --limit 10001/s', 'iptables -A INPUT -m limit --limit 0/s', 'iptables -A INPUT -m limit --limit 1/x', 'iptables -A INPUT -m limit --limit x',
      'iptables -A INPUT -m limit --limit-burst 10001', 'iptables -A INPUT -m limit ! --limit 1/s', 'iptables -A INPUT -m limit --limit 1/s --limit 2/s',
      'iptables -A INPUT -m limit --limit 5/week', 'iptables -A INPUT -m limit --limit 1/', 'iptables -A INPUT -m limit --limit 86401/day',
      ...LIST,
    ],
  },
  {
    name: 'hashlimit',
    steps: [
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1/sec --hashlimit-name a', 'iptables -A INPUT -m hashlimit --hashlimit-above 10/min --hashlimit-burst 20 --hashlimit-mode srcip,dstport --hashlimit-name b',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 100/hour --hashlimit-mode dstip,srcip,dstport,srcport --hashlimit-srcmask 24 --hashlimit-dstmask 16 --hashlimit-name c',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 5/day --hashlimit-htable-size 1024 --hashlimit-htable-max 2048 --hashlimit-htable-expire 30000 --hashlimit-htable-gcinterval 500 --hashlimit-name d',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1kb/s --hashlimit-name e', 'iptables -A INPUT -m hashlimit --hashlimit-above 512kb/s --hashlimit-burst 1mb --hashlimit-name f',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 2mb/m --hashlimit-name g', 'iptables -A INPUT -m hashlimit --hashlimit-upto 3b/s --hashlimit-name h',
      'iptables -A INPUT -m hashlimit --hashlimit 50 --hashlimit-name i', 'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name j --hashlimit-rate-match',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name k --hashlimit-rate-match --hashlimit-rate-interval 5',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-mode srcip --hashlimit-name l --hashlimit-srcmask 32',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 10/second --hashlimit-burst 5 --hashlimit-name m', 'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name ' + 'n'.repeat(15),
      ...LIST,
    ],
  },
  {
    name: 'hashlimit errors',
    steps: [
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s', 'iptables -A INPUT -m hashlimit --hashlimit-name a', 'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-above 2/s --hashlimit-name a',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1/x --hashlimit-name a', 'iptables -A INPUT -m hashlimit --hashlimit-upto 0/s --hashlimit-name a',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-mode foo --hashlimit-name a', 'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-srcmask 33 --hashlimit-name a',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-burst 0 --hashlimit-name a', 'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name ' + 'n'.repeat(16),
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name ' + 'o'.repeat(20), 'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name ' + 'p'.repeat(300),
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name ""', 'iptables -A INPUT -m hashlimit --hashlimit-upto 3/min --hashlimit-burst 1000000 --hashlimit-name q',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 3/min --hashlimit-burst 1000001 --hashlimit-name q', 'iptables -A INPUT -m hashlimit --hashlimit-upto 10/s --hashlimit-burst 5k --hashlimit-name q',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1/day --hashlimit-burst 1000000 --hashlimit-name q', 'iptables -A INPUT -m hashlimit --hashlimit-upto 1gb/s --hashlimit-name q',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1000000/s --hashlimit-name q', 'iptables -A INPUT -m hashlimit --hashlimit-upto 1000001/s --hashlimit-name q',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name a --hashlimit-htable-size x', 'iptables -A INPUT -m hashlimit --hashlimit-upto 100000/s --hashlimit-name a',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1kb/s --hashlimit-burst 2 --hashlimit-name a', 'iptables -A INPUT -m hashlimit ! --hashlimit-upto 1/s --hashlimit-name a',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name a --hashlimit-rate-interval 0', 'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name a --hashlimit-name b',
      'iptables -A INPUT -m hashlimit --hashlimit-upto 1/s --hashlimit-name a --hashlimit-mode ""',
      'iptables -S',
    ],
  },
  {
    name: 'quota',
    steps: [
      'iptables -A INPUT -m quota --quota 1000', 'iptables -A INPUT -m quota ! --quota 0', 'iptables -A INPUT -m quota --quota 18446744073709551615',
      'iptables -A INPUT -m quota --quota 0x10', 'iptables -A INPUT -m quota', 'iptables -A INPUT -m quota --quota x', 'iptables -A INPUT -m quota --quota -1',
      'iptables -A INPUT -m quota --quota 1 --quota 2', ...LIST,
    ],
  },
  {
    name: 'rateest and RATEEST',
    steps: [
      'iptables -A INPUT -j RATEEST --rateest-name x --rateest-interval 250ms --rateest-ewmalog 1s', 'iptables -A INPUT -j RATEEST --rateest-name y --rateest-interval 1s --rateest-ewmalog 4s',
      'iptables -A INPUT -j RATEEST --rateest-name z --rateest-interval 0.5s --rateest-ewmalog 2s', 'iptables -A INPUT -j RATEEST --rateest-name w --rateest-interval 8s --rateest-ewmalog 64s',
      'iptables -A INPUT -m rateest --rateest x --rateest-bps1 10kbit --rateest-gt', 'iptables -A INPUT -m rateest --rateest x --rateest-pps1 100 --rateest-lt',
      'iptables -A INPUT -m rateest --rateest1 x --rateest2 y --rateest-bps --rateest-gt', 'iptables -A INPUT -m rateest --rateest1 x --rateest2 y --rateest-pps --rateest-lt',
      'iptables -A INPUT -m rateest --rateest-delta --rateest1 x --rateest-bps1 1mbit --rateest2 y --rateest-bps2 2mbit --rateest-gt',
      'iptables -A INPUT -m rateest --rateest x --rateest-bps1 0 ! --rateest-eq', 'iptables -A INPUT -m rateest --rateest nosuch --rateest-bps1 1 --rateest-gt',
      'iptables -A INPUT -m rateest --rateest x', 'iptables -A INPUT -m rateest --rateest x --rateest-bps1 1', 'iptables -A INPUT -m rateest --rateest x --rateest-gt',
      'iptables -A INPUT -j RATEEST --rateest-name q', 'iptables -A INPUT -j RATEEST --rateest-name q --rateest-interval 1s', 'iptables -A INPUT -j RATEEST --rateest-name q --rateest-interval 3s --rateest-ewmalog 1s',
      'iptables -A INPUT -j RATEEST --rateest-name q --rateest-interval 1x --rateest-ewmalog 1s', 'iptables -A INPUT -j RATEEST --rateest-interval 1s --rateest-ewmalog 2s',
      'iptables -A INPUT -j RATEEST --rateest-name x --rateest-interval 1s --rateest-ewmalog 2s',
      ...LIST,
    ],
  },
  {
    name: 'recent every option',
    steps: [
      'iptables -A INPUT -m recent --set', 'iptables -A INPUT -m recent --name SSH --set --rsource', 'iptables -A INPUT -m recent --name SSH --rcheck --seconds 60 --hitcount 4 --rttl',
      'iptables -A INPUT -m recent --name SSH --update --seconds 60 --reap', 'iptables -A INPUT -m recent ! --rcheck --name x --rdest', 'iptables -A INPUT -m recent --remove --name x',
      'iptables -A INPUT -m recent --set --mask 255.255.255.0', 'iptables -A INPUT -m recent --rcheck --mask 255.255.0.0 --name y', 'iptables -A INPUT -m recent --update --hitcount 20',
      'iptables -A INPUT -m recent --set --name "a b"', 'iptables -A INPUT -m recent --set --name ' + 'r'.repeat(200),
      ...LIST,
    ],
  },
  {
    name: 'recent errors',
    steps: [
      'iptables -A INPUT -m recent', 'iptables -A INPUT -m recent --set --rcheck', 'iptables -A INPUT -m recent --set --seconds 5', 'iptables -A INPUT -m recent --rcheck --reap',
      'iptables -A INPUT -m recent --rcheck --seconds x', 'iptables -A INPUT -m recent --rcheck --hitcount 256', 'iptables -A INPUT -m recent --rcheck --mask x',
      'iptables -A INPUT -m recent --rsource --rdest --set', 'iptables -A INPUT -m recent --set --name ' + 'r'.repeat(201), 'iptables -A INPUT -m recent --set --name ""',
      'iptables -A INPUT -m recent --rcheck --hitcount 100', 'iptables -A INPUT -m recent --remove --hitcount 1', 'iptables -A INPUT -m recent --set --mask 255.0.255.0',
      'iptables -S',
    ],
  },
  {
    name: 'statistic every form',
    steps: [
      'iptables -A INPUT -m statistic --mode random --probability 1', 'iptables -A INPUT -m statistic --mode random --probability 0', 'iptables -A INPUT -m statistic --mode random --probability 0.00000000001',
      'iptables -A INPUT -m statistic --mode nth --every 10 --packet 9', 'iptables -A INPUT -m statistic --mode nth ! --every 2 --packet 1', 'iptables -A INPUT -m statistic --mode random --probability 1e-3',
      'iptables -A INPUT -m statistic --mode nth --every 1 --packet 0', 'iptables -A INPUT -m statistic --mode random --probability .5',
      'iptables -A INPUT -m statistic --mode random --every 2', 'iptables -A INPUT -m statistic --mode nth --probability 0.5', 'iptables -A INPUT -m statistic --mode nth --every 2 --packet 2',
      'iptables -A INPUT -m statistic --mode random --probability 0.5 --probability 0.2', 'iptables -A INPUT -m statistic --mode x', 'iptables -A INPUT -m statistic --mode nth --packet 1',
      ...LIST,
    ],
  },
  {
    name: 'cluster',
    steps: [
      'iptables -A INPUT -m cluster --cluster-total-nodes 2 --cluster-local-node 1 --cluster-hash-seed 0xdeadbeef', 'iptables -A INPUT -m cluster --cluster-total-nodes 4 --cluster-local-nodemask 5',
      'iptables -A INPUT -m cluster --cluster-total-nodes 3 ! --cluster-local-node 2', 'iptables -A INPUT -m cluster --cluster-total-nodes 32 --cluster-local-node 32 --cluster-hash-seed 1',
      'iptables -A INPUT -m cluster --cluster-total-nodes 2 ! --cluster-local-nodemask 3',
      'iptables -A INPUT -m cluster --cluster-local-node 1', 'iptables -A INPUT -m cluster --cluster-total-nodes 2', 'iptables -A INPUT -m cluster --cluster-total-nodes 2 --cluster-local-node 3',
      'iptables -A INPUT -m cluster --cluster-total-nodes 33 --cluster-local-node 1', 'iptables -A INPUT -m cluster --cluster-total-nodes 2 --cluster-local-node 0',
      'iptables -A INPUT -m cluster --cluster-total-nodes 2 --cluster-local-node 1 --cluster-local-nodemask 1', 'iptables -A INPUT -m cluster --cluster-total-nodes 2 --cluster-local-nodemask 4',
      'iptables -A INPUT -m cluster --cluster-total-nodes 2 --cluster-local-node 3 --cluster-hash-seed 1', 'iptables -A INPUT -m cluster --cluster-total-nodes 2 --cluster-local-nodemask 4 --cluster-hash-seed 1',
      'iptables -A INPUT -m cluster --cluster-local-node 3 --cluster-total-nodes 2 --cluster-hash-seed 1', 'iptables -A INPUT -m cluster --cluster-total-nodes 3 --cluster-local-nodemask 7 --cluster-hash-seed 1',
      'iptables -A INPUT -m cluster --cluster-total-nodes 3 ! --cluster-local-node 2 --cluster-hash-seed 5', 'iptables -A INPUT -m cluster --cluster-total-nodes 2 ! --cluster-local-nodemask 3 --cluster-hash-seed 9',
      ...LIST,
    ],
  },
  {
    name: 'cpu',
    steps: [
      'iptables -A INPUT -m cpu --cpu 0', 'iptables -A INPUT -m cpu ! --cpu 3', 'iptables -A INPUT -m cpu --cpu 4294967295', 'iptables -A INPUT -m cpu',
      'iptables -A INPUT -m cpu --cpu x', 'iptables -A INPUT -m cpu --cpu 1 --cpu 2', ...LIST,
    ],
  },
  {
    name: 'time',
    steps: [
      'iptables -A INPUT -m time --timestart 09:00 --timestop 17:00', 'iptables -A INPUT -m time --timestart 22:00 --timestop 06:00 --kerneltz', 'iptables -A INPUT -m time --timestart 10:00:30',
      'iptables -A INPUT -m time --weekdays Mon,Tue,Wed', 'iptables -A INPUT -m time ! --weekdays Sat,Sun', 'iptables -A INPUT -m time --weekdays 1,7', 'iptables -A INPUT -m time --monthdays 1,15,31',
      'iptables -A INPUT -m time ! --monthdays 2', 'iptables -A INPUT -m time --datestart 2020-01-01 --datestop 2030-12-31T23:59:59', 'iptables -A INPUT -m time --datestart 2021',
      'iptables -A INPUT -m time --datestart 2021-06-15T12:30', 'iptables -A INPUT -m time --datestop 1970-01-01T00:00:01', 'iptables -A INPUT -m time --timestart 0:0 --timestop 23:59:59',
      'iptables -A INPUT -m time --timestart 08:00 --timestop 12:00 --weekdays Mo,Fr --monthdays 10 --contiguous', 'iptables -A INPUT -m time --timestart 12:00 --timestop 08:00 --contiguous',
      'iptables -A INPUT -m time --weekdays Monday', 'iptables -A INPUT -m time --weekdays mon,tue,wed,thu,fri,sat,sun',
      'iptables -A INPUT -m time --datestop 1970', 'iptables -A INPUT -m time --datestart 2038-12-31', 'iptables -A INPUT -m time --datestart 2020-00-01', 'iptables -A INPUT -m time --weekdays ,Mon',
      'iptables -A INPUT -m time --weekdays Foobar', 'iptables -A INPUT -m time --monthdays 123', 'iptables -A INPUT -m time --timestart 23:59:59 --timestop 23:59:59',
      'iptables -A INPUT -m time --datestart 2030-01-01 --datestop 2020-01-01', 'iptables -A INPUT -m time --weekdays 0',
      ...LIST,
    ],
  },
  {
    name: 'time errors',
    steps: [
      'iptables -A INPUT -m time', 'iptables -A INPUT -m time --timestart 25:00', 'iptables -A INPUT -m time --timestart 10:60', 'iptables -A INPUT -m time --timestart x',
      'iptables -A INPUT -m time --weekdays Foo', 'iptables -A INPUT -m time --weekdays 8', 'iptables -A INPUT -m time --monthdays 32', 'iptables -A INPUT -m time --monthdays 0',
      'iptables -A INPUT -m time --datestart 2040-01-01', 'iptables -A INPUT -m time --datestart 1969-12-31', 'iptables -A INPUT -m time --datestart 2020-13-01',
      'iptables -A INPUT -m time --datestart x', 'iptables -A INPUT -m time ! --timestart 10:00', 'iptables -A INPUT -m time --weekdays Mon --weekdays Tue',
      'iptables -A INPUT -m time --localtz --timestart 10:00', 'iptables -A INPUT -m time --utc --timestart 10:00', 'iptables -A INPUT -m time --timestart 10:00:00:00',
      'iptables -S',
    ],
  },
  {
    name: 'nfacct',
    steps: [
      'iptables -A INPUT -m nfacct --nfacct-name acct', 'iptables -A INPUT -m nfacct', 'iptables -A INPUT -m nfacct ! --nfacct-name acct',
      'iptables -A INPUT -m nfacct --nfacct-name ' + 'a'.repeat(32), 'iptables -S',
    ],
  },
]
