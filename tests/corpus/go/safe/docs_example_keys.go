// Package config documents the settings. Example environment, placeholders only:
//
//	AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
//	AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
package config

import "os"

type Config struct {
	AccessKeyID     string
	SecretAccessKey string
}

func FromEnv() Config {
	return Config{
		AccessKeyID:     os.Getenv("AWS_ACCESS_KEY_ID"),
		SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY"),
	}
}
