// Package escpos encodes receipts for ESC/POS thermal printers (Epson TM series and the many
// compatible 58 mm and 80 mm printers sold in Indonesia).
//
// It is written from scratch because no Go ESC/POS module is available to the project. Each
// method of Encoder emits exactly one command (or a fixed group of commands) of the Epson
// "ESC/POS Command Reference"; its doc comment names that command so the bytes can be checked
// against the reference. Only the commands a queue ticket needs are implemented.
//
// The decoder and renderer that prove what the bytes print live beside this package in
// escpos/preview, like periph's gpiotest.
package escpos
