package voice

import (
	"encoding/binary"
	"errors"
	"time"
)

// PCM is mono 16-bit sound.
type PCM struct {
	Rate    int
	Samples []int16
}

// ParseWAV reads a mono or stereo 16-bit PCM WAV file (stereo is mixed down). It accepts
// the sizes a program writing to a pipe leaves unfinished (espeak-ng --stdout): the data
// runs to the end of the file.
func ParseWAV(b []byte) (PCM, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return PCM{}, errors.New("not a WAV file")
	}
	var channels, bits int
	var p PCM
	for i := 12; i+8 <= len(b); {
		id, size := string(b[i:i+4]), int(binary.LittleEndian.Uint32(b[i+4:i+8]))
		body := b[i+8:]
		if size < 0 || size > len(body) {
			size = len(body)
		}
		body = body[:size]
		switch id {
		case "fmt ":
			if len(body) < 16 || binary.LittleEndian.Uint16(body[0:2]) != 1 {
				return PCM{}, errors.New("WAV is not plain PCM")
			}
			channels = int(binary.LittleEndian.Uint16(body[2:4]))
			p.Rate = int(binary.LittleEndian.Uint32(body[4:8]))
			bits = int(binary.LittleEndian.Uint16(body[14:16]))
		case "data":
			if bits != 16 || channels < 1 || channels > 2 || p.Rate <= 0 {
				return PCM{}, errors.New("WAV is not 16-bit mono or stereo PCM")
			}
			frame := 2 * channels
			for j := 0; j+frame <= len(body); j += frame {
				s := int(int16(binary.LittleEndian.Uint16(body[j:])))
				if channels == 2 {
					s = (s + int(int16(binary.LittleEndian.Uint16(body[j+2:])))) / 2
				}
				p.Samples = append(p.Samples, int16(s))
			}
			return p, nil
		}
		i += 8 + size + size%2
	}
	return PCM{}, errors.New("WAV has no sound data")
}

// WAV writes p as a mono 16-bit PCM WAV file.
func (p PCM) WAV() []byte {
	n := 2 * len(p.Samples)
	b := make([]byte, 44+n)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1) // PCM
	binary.LittleEndian.PutUint16(b[22:], 1) // mono
	binary.LittleEndian.PutUint32(b[24:], uint32(p.Rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(2*p.Rate))
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(n))
	for i, s := range p.Samples {
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(s))
	}
	return b
}

// Duration is how long p plays.
func (p PCM) Duration() time.Duration {
	if p.Rate == 0 {
		return 0
	}
	return time.Duration(len(p.Samples)) * time.Second / time.Duration(p.Rate)
}

// TrimWAV cuts the silence a synthesiser leaves before and after a word, brings the
// loudest sample near full scale (as the built-in clips are), and ends with pad of
// silence, so that clips played back to back sound like one sentence — what
// gen-clips.sh does with sox for the built-in set, done here because the appliance has no
// sox.
func TrimWAV(raw []byte, pad time.Duration) ([]byte, error) {
	p, err := ParseWAV(raw)
	if err != nil {
		return nil, err
	}
	peak := 0
	for _, s := range p.Samples {
		peak = max(peak, abs(int(s)))
	}
	if peak == 0 {
		return nil, errors.New("the synthesiser gave silence")
	}
	// Silence is below 0.5 % of full scale, as in gen-clips.sh.
	const floor = 32768 * 5 / 1000
	first, last := 0, len(p.Samples)-1
	for first < last && abs(int(p.Samples[first])) < floor {
		first++
	}
	for last > first && abs(int(p.Samples[last])) < floor {
		last--
	}
	out := PCM{Rate: p.Rate, Samples: make([]int16, 0, last-first+1+int(pad.Seconds()*float64(p.Rate)))}
	gain := float64(32767) * 0.89 / float64(peak) // -1 dBFS
	for _, s := range p.Samples[first : last+1] {
		out.Samples = append(out.Samples, int16(max(-32768, min(32767, float64(s)*gain))))
	}
	out.Samples = append(out.Samples, make([]int16, int(pad.Seconds()*float64(p.Rate)))...)
	return out.WAV(), nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
