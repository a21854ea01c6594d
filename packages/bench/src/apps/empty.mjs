// The floor for start-up: a Node process that answers without loading anything.
console.log('ready');
