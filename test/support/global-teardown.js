module.exports = () => require('./orphans').teardown();
