// expect: secret-aws-access-key-id
package storage

import (
	"github.com/aws/aws-sdk-go-v2/credentials"
)

var provider = credentials.NewStaticCredentialsProvider(
	"AKIAZQ3FAKE7TESTKEY4",
	"FAKEq8fK2pLm9XvB4tR7wYs0dJ3hN6cZ1aE5gT2u",
	"",
)
