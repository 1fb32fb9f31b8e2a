/* tutti C ABI: the engine for C hosts (Asterisk- or FreeSWITCH-style PBX code).
 *
 * Same two planes as the C++ API (tutti/engine.h):
 *  - control plane: any thread, may allocate: tutti_engine_*, tutti_room_*, tutti_participant_*
 *    and tutti_engine_poll_events;
 *  - real-time plane: tutti_engine_tick, tutti_link_push_input (one producer thread per link)
 *    and tutti_link_pull_output (one consumer thread per link): never allocate, lock or block.
 * Every call that can fail returns a tutti_status; tutti_last_error() then holds a message for
 * the calling thread. Ids are never reused within an engine. */
#ifndef TUTTI_TUTTI_H
#define TUTTI_TUTTI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tutti_engine tutti_engine;
typedef struct tutti_link tutti_link;

typedef enum tutti_status {
  TUTTI_OK = 0,
  TUTTI_INVALID_ARGUMENT = 1,
  TUTTI_NOT_FOUND = 2,
  TUTTI_RESOURCE_EXHAUSTED = 3,
  TUTTI_UNAVAILABLE = 4,
  TUTTI_FAILED_PRECONDITION = 5,
  TUTTI_INTERNAL = 6
} tutti_status;

typedef struct tutti_engine_config {
  int tick_ms;        /* 10 or 20 */
  int sample_rate_hz; /* 8000, 16000 or 48000 */
  int threads;        /* 0 = serial on the ticking thread */
  int max_rooms;
  int max_participants; /* all rooms together */
} tutti_engine_config;

typedef struct tutti_room_config {
  const char* name;
  int max_participants;
  int max_speakers;
} tutti_room_config;

typedef enum tutti_event_type {
  TUTTI_EVENT_ROOM_CREATED = 0,
  TUTTI_EVENT_ROOM_ENDED,
  TUTTI_EVENT_JOINED,
  TUTTI_EVENT_LEFT,
  TUTTI_EVENT_TALKING_STARTED,
  TUTTI_EVENT_TALKING_STOPPED,
  TUTTI_EVENT_MUTED,
  TUTTI_EVENT_UNMUTED,
  TUTTI_EVENT_DEAFENED,
  TUTTI_EVENT_UNDEAFENED
} tutti_event_type;

typedef struct tutti_event {
  tutti_event_type type;
  uint32_t room;
  uint32_t participant; /* 0 for room events */
  uint64_t tick;
  float value; /* LEFT: 1 if kicked; TALKING_STARTED: level in dBFS */
} tutti_event;

/* Defaults: 20 ms, 48 kHz, serial, 64 rooms, 1024 participants. */
void tutti_engine_config_init(tutti_engine_config* config);
void tutti_room_config_init(tutti_room_config* config);
/* The message of the calling thread's last failed call ("" when none). */
const char* tutti_last_error(void);

tutti_status tutti_engine_create(const tutti_engine_config* config, tutti_engine** out);
void tutti_engine_destroy(tutti_engine* engine);
size_t tutti_engine_frame_samples(const tutti_engine* engine);
/* Real-time: one tick on the calling thread. */
void tutti_engine_tick(tutti_engine* engine);
/* Own clock thread on absolute deadlines. */
tutti_status tutti_engine_start(tutti_engine* engine);
void tutti_engine_stop(tutti_engine* engine);
size_t tutti_engine_poll_events(tutti_engine* engine, tutti_event* events, size_t capacity);

tutti_status tutti_room_create(tutti_engine* engine, const tutti_room_config* config,
                               uint32_t* room_id);
tutti_status tutti_room_end(tutti_engine* engine, uint32_t room_id);

/* Adds a participant; *link receives its media link (release it with tutti_link_release). */
tutti_status tutti_participant_add(tutti_engine* engine, uint32_t room_id, const char* name,
                                   uint32_t* participant_id, tutti_link** link);
tutti_status tutti_participant_remove(tutti_engine* engine, uint32_t participant_id);
tutti_status tutti_participant_kick(tutti_engine* engine, uint32_t participant_id);
tutti_status tutti_participant_mute(tutti_engine* engine, uint32_t participant_id, int muted);
tutti_status tutti_participant_deaf(tutti_engine* engine, uint32_t participant_id, int deaf);
tutti_status tutti_participant_gain_in(tutti_engine* engine, uint32_t participant_id,
                                       float gain_db);
tutti_status tutti_participant_gain_out(tutti_engine* engine, uint32_t participant_id,
                                        float gain_db);

/* On hold: not heard, hears the room's music. */
tutti_status tutti_participant_hold(tutti_engine* engine, uint32_t participant_id, int held);
/* One-shot audio file (WAV/FLAC/Ogg) to the whole room or to one participant. */
tutti_status tutti_room_play(tutti_engine* engine, uint32_t room_id, const char* path);
tutti_status tutti_participant_play(tutti_engine* engine, uint32_t participant_id,
                                    const char* path);

/* A codec participant ("PCMU", "PCMA", "G722", "opus"): RTP payloads in and out. */
tutti_status tutti_participant_add_codec(tutti_engine* engine, uint32_t room_id, const char* name,
                                         const char* codec, uint32_t* participant_id,
                                         tutti_link** link);
typedef struct tutti_rtp_in {
  uint16_t seq;
  uint32_t timestamp;
  uint32_t ssrc;
  uint8_t payload_type;
  int marker;
  int audio_level_dbov; /* RFC 6464 level 0..127, or -1 */
  int64_t arrival_ms;
  const uint8_t* payload;
  size_t payload_bytes;
} tutti_rtp_in;
/* Real-time (one producer thread): 1 when queued. */
int tutti_link_push_rtp(tutti_link* link, const tutti_rtp_in* packet);
/* Real-time (one consumer thread): payload bytes written (0: nothing to send); *tick receives
 * the engine tick it belongs to. -1 when no payload is ready. */
long tutti_link_pull_rtp(tutti_link* link, uint8_t* payload, size_t capacity, uint64_t* tick);

/* Real-time (one producer thread): 1 when queued, 0 when the queue is full or size is wrong. */
int tutti_link_push_input(tutti_link* link, const int16_t* pcm, size_t samples);
/* Real-time (one consumer thread): samples written, 0 when nothing is ready. */
size_t tutti_link_pull_output(tutti_link* link, int16_t* pcm, size_t capacity);
void tutti_link_release(tutti_link* link);

#ifdef __cplusplus
}
#endif

#endif /* TUTTI_TUTTI_H */
