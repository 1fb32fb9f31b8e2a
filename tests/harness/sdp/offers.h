// SDP offers written the way common SIP endpoints write them (LF here; tests add CRLF).
#pragma once

#include <string>

namespace tutti::sdp::testing {

// SIPp's built-in uac scenario.
inline const std::string kSippUac =
    "v=0\n"
    "o=user1 53655765 2353687637 IN IP4 127.0.1.1\n"
    "s=-\n"
    "c=IN IP4 127.0.1.1\n"
    "t=0 0\n"
    "m=audio 6000 RTP/AVP 0\n"
    "a=rtpmap:0 PCMU/8000\n";

// baresip with its default audio codecs, RFC 6464 levels and rtcp-mux.
inline const std::string kBaresip =
    "v=0\n"
    "o=- 1606224581 2370218127 IN IP4 192.168.1.20\n"
    "s=-\n"
    "c=IN IP4 192.168.1.20\n"
    "t=0 0\n"
    "m=audio 10150 RTP/AVP 111 9 0 8 101\n"
    "b=AS:125\n"
    "a=rtpmap:111 opus/48000/2\n"
    "a=fmtp:111 stereo=1;sprop-stereo=1\n"
    "a=rtpmap:9 G722/8000\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-15\n"
    "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\n"
    "a=rtcp-mux\n"
    "a=sendrecv\n"
    "a=label:1\n"
    "a=ssrc:2915238127 cname:c1d3e4a5-2c2e-4b2a-9a5e-3f1f0f1b2c3d\n"
    "a=ptime:20\n";

// Linphone: many codecs, static G.729 with only an fmtp, telephone-event at three clocks, video.
inline const std::string kLinphone =
    "v=0\n"
    "o=alice 1929 3422 IN IP4 192.168.0.12\n"
    "s=Talk\n"
    "c=IN IP4 192.168.0.12\n"
    "t=0 0\n"
    "a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics\n"
    "m=audio 7078 RTP/AVP 96 97 98 0 8 18 101 99 100\n"
    "a=rtpmap:96 opus/48000/2\n"
    "a=fmtp:96 useinbandfec=1\n"
    "a=rtpmap:97 speex/16000\n"
    "a=fmtp:97 vbr=on\n"
    "a=rtpmap:98 speex/8000\n"
    "a=fmtp:98 vbr=on\n"
    "a=fmtp:18 annexb=yes\n"
    "a=rtpmap:101 telephone-event/48000\n"
    "a=rtpmap:99 telephone-event/16000\n"
    "a=rtpmap:100 telephone-event/8000\n"
    "a=rtcp-fb:* trr-int 5000\n"
    "m=video 9078 RTP/AVP 96\n"
    "a=rtpmap:96 VP8/90000\n"
    "a=rtcp-fb:* nack pli\n";

// Asterisk (chan_pjsip): payload type 111 is G.726 here, not opus.
inline const std::string kAsterisk =
    "v=0\n"
    "o=- 1702398121 1702398121 IN IP4 203.0.113.5\n"
    "s=Asterisk\n"
    "c=IN IP4 203.0.113.5\n"
    "t=0 0\n"
    "m=audio 14562 RTP/AVP 0 8 3 9 111 101\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:3 GSM/8000\n"
    "a=rtpmap:9 G722/8000\n"
    "a=rtpmap:111 G726-32/8000\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-16\n"
    "a=ptime:20\n"
    "a=maxptime:150\n"
    "a=sendrecv\n";

// `text` with every LF turned into CRLF.
inline std::string crlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

}  // namespace tutti::sdp::testing
