import { PATHS, STREAM_EVENTS, STREAM_PARAMS } from '@tickstream/client/contract';

/** Debian's nginx and its nchan module (packages nginx and libnginx-mod-nchan). */
export const NGINX = '/usr/sbin/nginx';
export const NCHAN_MODULE = '/usr/lib/nginx/modules/ngx_nchan_module.so';
/** Where the publisher sends each tick: a websocket per symbol, `?channel=<symbol>`. */
export const PUBLISH_PATH = '/publish';
export const CHANNEL_PARAM = 'channel';

export interface NchanSettings {
  port: number;
  /** A folder of its own for the pid file, the error log and temporary files. */
  dir: string;
  /** The most streams the run opens, which sizes the workers' connection tables. */
  connections: number;
  heartbeatMs: number;
  /** nginx's worker_processes. */
  workers: number;
}

/**
 * nginx with nchan in the shape we would run it in production: its workers (one by default, like
 * tickstream's one process; with more, each message also crosses nchan's IPC between workers,
 * which cost about as much CPU again in the bench's short runs) each with its own listening
 * socket (reuseport) so that connections spread evenly, no access log, the in-memory store. Subscribers are EventSource streams on the path and query of tickstream's
 * (`/api/stream?symbols=A,B,C`): one channel per symbol, multiplexed on one stream. Every message
 * goes out as `event: tick`; pings are `: heartbeat` comments. A channel keeps its last 100
 * messages: a multiplexed subscriber that falls behind reads from them, and with one message
 * kept the bench saw such subscribers skip ticks. A new subscriber starts with the next message:
 * a multiplexed stream cannot start at each channel's latest, as tickstream's snapshot does, and
 * starting at the oldest would send it a hundred old messages per symbol.
 */
export function nchanConfig({
  port,
  dir,
  connections,
  heartbeatMs,
  workers,
}: NchanSettings): string {
  return `load_module ${NCHAN_MODULE};
worker_processes ${workers};
worker_rlimit_nofile ${connections + 4096};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events {
  worker_connections ${connections + 2048};
}
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  tcp_nodelay on;
  nchan_shared_memory_size 256m;
  nchan_message_buffer_length 100;
  nchan_message_timeout 1h;
  server {
    listen 127.0.0.1:${port} reuseport backlog=4096;
    location = ${PUBLISH_PATH} {
      allow 127.0.0.1;
      deny all;
      nchan_publisher websocket;
      nchan_channel_id $arg_${CHANNEL_PARAM};
    }
    location = /${PATHS.stream} {
      nchan_subscriber eventsource;
      nchan_channel_id $arg_${STREAM_PARAMS.symbols};
      nchan_channel_id_split_delimiter ",";
      nchan_subscriber_first_message newest;
      nchan_eventsource_event ${STREAM_EVENTS.tick};
      nchan_eventsource_ping_interval ${Math.max(1, Math.round(heartbeatMs / 1000))};
      nchan_eventsource_ping_comment heartbeat;
      nchan_eventsource_ping_event "";
    }
  }
}
`;
}
