// `obsidian` exists only inside the app; obsidian-dataview imports it for its types alone.
module.exports = {};
