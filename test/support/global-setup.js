module.exports = () => require('./orphans').setup();
