package button

import (
	"errors"
	"fmt"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/host/v3"

	"github.com/antri-id/antri/queue"
)

// Host initialises periph.io's drivers (host.Init; the gpioioctl driver
// reaches the GPIO character devices of the Raspberry Pi 3, 4 and 5) and
// returns an Opener of real pins by name (gpioreg.ByName, e.g. "GPIO17").
// The error says why there is no GPIO at all, in Indonesian.
func Host() (Opener, error) {
	if _, err := host.Init(); err != nil {
		return nil, fmt.Errorf("GPIO tidak bisa dimulai (%v); periksa izin /dev/gpiochip* untuk pengguna antri", err)
	}
	if len(gpioreg.All()) == 0 {
		return nil, errors.New("tidak ada pin GPIO di mesin ini (bukan Raspberry Pi, atau /dev/gpiochip* tidak bisa dibuka)")
	}
	return func(b queue.ButtonConfig) (gpio.PinIn, error) {
		p := gpioreg.ByName(b.Pin)
		if p == nil {
			return nil, fmt.Errorf("pin %s tidak ditemukan; tulis nomor BCM seperti \"GPIO17\" (lihat pinout.xyz)", b.Pin)
		}
		return p, nil
	}, nil
}
