/* A C host embedding tutti through its C ABI: two callers in a room, each sending a square
 * wave of its own level; each must hear the other and not itself. Exit 0 on success. */
#include <stdio.h>
#include <stdlib.h>

#include "tutti/tutti.h"

#define TICKS 50

static double mean_abs(const int16_t* pcm, size_t n) {
  double acc = 0.0;
  for (size_t i = 0; i < n; ++i) acc += abs(pcm[i]);
  return n ? acc / (double)n : 0.0;
}

static int check(tutti_status s, const char* what) {
  if (s != TUTTI_OK) fprintf(stderr, "%s: %s\n", what, tutti_last_error());
  return s == TUTTI_OK;
}

int main(void) {
  tutti_engine_config config;
  tutti_engine_config_init(&config);
  config.sample_rate_hz = 16000;

  tutti_engine* engine = NULL;
  if (!check(tutti_engine_create(&config, &engine), "create")) return 1;

  tutti_room_config room_config;
  tutti_room_config_init(&room_config);
  room_config.name = "c-room";
  uint32_t room = 0;
  if (!check(tutti_room_create(engine, &room_config, &room), "room")) return 1;

  uint32_t ids[2];
  tutti_link* links[2];
  const int16_t levels[2] = {4000, 9000}; /* caller 0 quieter than caller 1 */
  for (int i = 0; i < 2; ++i) {
    if (!check(tutti_participant_add(engine, room, i ? "bob" : "alice", &ids[i], &links[i]), "add"))
      return 1;
  }

  /* A refused call explains itself. */
  tutti_engine_config bad = config;
  bad.sample_rate_hz = 44100;
  tutti_engine* none = NULL;
  if (tutti_engine_create(&bad, &none) != TUTTI_INVALID_ARGUMENT) return 1;
  printf("refused as expected: %s\n", tutti_last_error());

  /* A codec participant: RTP payloads in and out; an unknown codec is refused. */
  uint32_t phone = 0;
  tutti_link* phone_link = NULL;
  if (tutti_participant_add_codec(engine, room, "phone", "GSM", &phone, &phone_link) !=
      TUTTI_INVALID_ARGUMENT)
    return 1;
  printf("refused as expected: %s\n", tutti_last_error());
  if (!check(tutti_participant_add_codec(engine, room, "phone", "PCMU", &phone, &phone_link),
             "add codec"))
    return 1;
  if (!check(tutti_participant_hold(engine, phone, 1), "hold")) return 1;

  const size_t n = tutti_engine_frame_samples(engine);
  int16_t* pcm = malloc(n * sizeof *pcm);
  double heard[2] = {0, 0};
  for (int t = 0; t < TICKS; ++t) {
    for (int i = 0; i < 2; ++i) {
      for (size_t s = 0; s < n; ++s) pcm[s] = (int16_t)(((s / 8) % 2) ? levels[i] : -levels[i]);
      tutti_link_push_input(links[i], pcm, n);
    }
    tutti_engine_tick(engine);
    for (int i = 0; i < 2; ++i) {
      if (tutti_link_pull_output(links[i], pcm, n) == n && t == TICKS - 1)
        heard[i] = mean_abs(pcm, n);
    }
  }

  /* The held phone is sent something every tick (silence: the room has no music). */
  uint8_t payload[256];
  uint64_t tick = 0;
  const long bytes = tutti_link_pull_rtp(phone_link, payload, sizeof payload, &tick);
  printf("phone on hold got a %ld-byte payload for tick %llu\n", bytes, (unsigned long long)tick);

  tutti_event events[16];
  size_t count = tutti_engine_poll_events(engine, events, 16);
  int joined = 0;
  for (size_t i = 0; i < count; ++i) joined += events[i].type == TUTTI_EVENT_JOINED;

  printf("alice hears %.0f (bob sends %d), bob hears %.0f (alice sends %d), %d joined events\n",
         heard[0], levels[1], heard[1], levels[0], joined);
  const int ok = heard[0] > levels[1] * 0.95 && heard[0] < levels[1] * 1.05 &&
                 heard[1] > levels[0] * 0.95 && heard[1] < levels[0] * 1.05 && joined == 3 &&
                 bytes >= 0;

  check(tutti_participant_kick(engine, ids[1]), "kick");
  for (int i = 0; i < 2; ++i) tutti_link_release(links[i]);
  tutti_link_release(phone_link);
  free(pcm);
  tutti_engine_destroy(engine);
  printf("%s\n", ok ? "embed ok" : "embed FAILED");
  return ok ? 0 : 1;
}
